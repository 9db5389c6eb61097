package space.mission.control;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import space.mission.testkit.CloudWatchStandIn;
import space.mission.testkit.Fauxqs;

/**
 * What the cluster ITs' alert JVMs talk to, for a test class: fauxqs with one standard topic and an
 * SQS queue subscribed to it (where notifications are counted), and the CloudWatch stand-in.
 * {@code @RegisterExtension static AlertTopicStandIns aws = new AlertTopicStandIns("name");}
 */
final class AlertTopicStandIns implements BeforeAllCallback, AfterAllCallback {

  private final String name;
  private Fauxqs fauxqs;
  private CloudWatchStandIn cloudWatch;
  private String topic;
  private String queue;

  AlertTopicStandIns(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    fauxqs = Fauxqs.start();
    cloudWatch = CloudWatchStandIn.start();
    topic = fauxqs.topics().createTopic(name + "-alerts");
    queue = fauxqs.topics().subscribedQueue(topic, name + "-alerts-subscriber");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cloudWatch != null) {
      cloudWatch.close();
    }
    if (fauxqs != null) {
      fauxqs.close();
    }
  }

  Fauxqs fauxqs() {
    return fauxqs;
  }

  CloudWatchStandIn cloudWatch() {
    return cloudWatch;
  }

  String topic() {
    return topic;
  }

  String queue() {
    return queue;
  }

  /** A ledger of the notifications the subscribed queue receives. */
  SnsLedger ledger() {
    return new SnsLedger(fauxqs, queue);
  }
}
