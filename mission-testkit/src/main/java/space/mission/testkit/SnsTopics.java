package space.mission.testkit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The SNS/SQS topology a test needs, made with the real SDK clients against any endpoint (fauxqs,
 * LocalStack): topics, SQS queues subscribed to them, and receiving what SNS delivered. Test threads
 * only: calls wait for their answers.
 */
public final class SnsTopics implements AutoCloseable {

  private final SnsAsyncClient sns;
  private final SqsAsyncClient sqs;

  public SnsTopics(URI endpoint, String region) {
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    this.sns = SnsAsyncClient.builder().region(Region.of(region)).endpointOverride(endpoint).credentialsProvider(credentials).build();
    this.sqs = SqsAsyncClient.builder().region(Region.of(region)).endpointOverride(endpoint).credentialsProvider(credentials).build();
  }

  public String createTopic(String name) {
    return sns.createTopic(request -> request.name(name)).join().topicArn();
  }

  /** A FIFO topic ({@code name} ends in {@code .fifo}) without content-based deduplication: publishers give the id. */
  public String createFifoTopic(String name) {
    return sns.createTopic(request -> request.name(name).attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "false")))
      .join().topicArn();
  }

  /**
   * A queue subscribed to {@code topicArn} with raw delivery off: messages arrive in the SNS envelope,
   * attributes included. A name ending in {@code .fifo} makes a FIFO queue (for a FIFO topic).
   */
  public String subscribedQueue(String topicArn, String queueName) {
    Map<QueueAttributeName, String> attributes = queueName.endsWith(".fifo") ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
    String url = sqs.createQueue(request -> request.queueName(queueName).attributes(attributes)).join().queueUrl();
    String arn = sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).join()
      .attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(arn)).join();
    return url;
  }

  /** Receives (and deletes) up to {@code count} messages, waiting at most {@code timeout} in all. */
  public List<Message> receive(String queueUrl, int count, Duration timeout) {
    List<Message> messages = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (messages.size() < count && System.nanoTime() < deadline) {
      List<Message> batch = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
        .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
      for (Message message : batch) {
        messages.add(message);
        sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle())).join();
      }
    }
    return messages;
  }

  public Map<String, String> queueAttributes(String queueUrl) {
    return sqs.getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).join().attributesAsStrings();
  }

  @Override
  public void close() {
    sns.close();
    sqs.close();
  }
}
