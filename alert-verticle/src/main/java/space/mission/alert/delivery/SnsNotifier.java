package space.mission.alert.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import space.mission.alert.store.OutboxEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS mode: SNS Publish to the configured topic, with the message's attributes as String message
 * attributes so subscribers can filter (by severity, rule, host or mission). On a FIFO topic the
 * deduplication id is also the MessageDeduplicationId, so SNS itself drops a repeat of a message
 * that was sent but whose acknowledgement was lost.
 */
public final class SnsNotifier implements Notifier {

  private final SnsAsyncClient sns;
  private final String topicArn;
  private final String publicUrl;
  private final Context context;

  public SnsNotifier(SnsAsyncClient sns, String topicArn, String publicUrl, Context context) {
    this.sns = sns;
    this.topicArn = topicArn;
    this.publicUrl = publicUrl;
    this.context = context;
  }

  @Override
  public Future<Void> send(OutboxEntry entry) {
    Message message = Message.of(entry, publicUrl);
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    message.attributes().forEach((name, value) ->
      attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
    PublishRequest.Builder request = PublishRequest.builder()
      .topicArn(topicArn)
      .subject(message.subject())
      .message(message.body().encode())
      .messageAttributes(attributes);
    if (topicArn.endsWith(".fifo")) {
      request.messageGroupId(entry.rule()).messageDeduplicationId(dedupId(entry.dedupId()));
    }
    return Future.fromCompletionStage(sns.publish(request.build()), context).mapEmpty();
  }

  /** SNS takes up to 128 characters of letters, digits and punctuation as a deduplication id. */
  static String dedupId(String id) {
    String clean = id.replaceAll("[^\\x21-\\x7e]", "_");
    return clean.length() <= 128 ? clean : clean.substring(0, 128);
  }

  @Override
  public void close() {
    sns.close();
  }
}
