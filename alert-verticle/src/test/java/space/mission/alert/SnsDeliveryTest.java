package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.testkit.Await;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end with the fauxqs emulator: readings in, SNS messages out, as an SQS subscriber receives them. */
class SnsDeliveryTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static Fauxqs fauxqs;
  Vertx vertx;
  AlertHarness alerts;
  String queue;

  static final String RULES = """
    readings:
      - { name: disk-full, metric: disk.usage, comparison: ">", threshold: 85, clear: 80, for: 0s, severity: WARNING }
    """;

  @BeforeAll
  static void emulator() {
    fauxqs = Fauxqs.start();
  }

  @AfterAll
  static void stopEmulator() {
    if (fauxqs != null) {
      fauxqs.close();
    }
  }

  @BeforeEach
  void deploy(@TempDir Path dir) throws Exception {
    db.truncate("alerts", "alert_history", "notification_outbox", "silences", "monitor_heartbeats", "log_tail_checkpoints");
    String topic = fauxqs.topics().createTopic("mission-alerts-" + UUID.randomUUID());
    queue = fauxqs.topics().subscribedQueue(topic, "ops-" + UUID.randomUUID());
    vertx = Vertx.vertx();
    alerts = new AlertHarness(vertx, db.url(), dir, RULES, Map.of(
      "MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", fauxqs.endpoint().toString(), "MC_SNS_TOPIC_ARN", topic,
      "MC_ALERT_PUBLIC_URL", "https://mission.example/status")).deploy();
  }

  @AfterEach
  void undeploy() {
    fauxqs.up();
    vertx.close().await();
  }

  private void reading(String host, double disk) {
    AlertHarness.publishDiskReading(vertx, host, disk);
  }

  private static JsonObject envelope(Message message) {
    return new JsonObject(message.body());
  }

  @Test
  @DisplayName("A reading over a threshold reaches an SQS subscriber as an SNS message with subject, body and attributes; then the resolved one")
  void firingThenResolved() throws Exception {
    reading("ground-1", 95);
    List<Message> fired = fauxqs.topics().receive(queue, 1, Duration.ofSeconds(10));
    assertThat(fired).hasSize(1);
    JsonObject sns = envelope(fired.get(0));
    assertThat(sns.getString("Subject")).isEqualTo("[WARNING] FIRING: disk-full on ground-1 mount /data");
    JsonObject body = new JsonObject(sns.getString("Message"));
    assertThat(body.getString("what")).isEqualTo("disk.usage 95.0 > 85.0 on ground-1 mount /data");
    assertThat(body.getString("where")).isEqualTo("ground-1 mount /data");
    assertThat(body.getDouble("value")).isEqualTo(95.0);
    assertThat(body.getString("severity")).isEqualTo("WARNING");
    assertThat(body.getString("since")).isNotBlank();
    assertThat(body.getString("link")).isEqualTo("https://mission.example/status/api/v1/alerts");
    JsonObject attributes = sns.getJsonObject("MessageAttributes");
    assertThat(attributes.getJsonObject("severity").getString("Value")).isEqualTo("WARNING");
    assertThat(attributes.getJsonObject("rule").getString("Value")).isEqualTo("disk-full");
    assertThat(attributes.getJsonObject("host").getString("Value")).isEqualTo("ground-1");
    assertThat(attributes.getJsonObject("dedupId").getString("Value")).endsWith(":firing");

    reading("ground-1", 70);
    List<Message> resolved = fauxqs.topics().receive(queue, 1, Duration.ofSeconds(10));
    assertThat(resolved).hasSize(1);
    JsonObject resolvedBody = new JsonObject(envelope(resolved.get(0)).getString("Message"));
    assertThat(resolvedBody.getString("kind")).isEqualTo("RESOLVED");
    assertThat(resolvedBody.getString("resolvedAt")).isNotBlank();
    assertThat(alerts.events).extracting(AlertEvent::state).containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
    assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(2))).as("nothing more").isEmpty();
  }

  @Test
  @DisplayName("With SNS down, alerts fire and wait in the outbox; across a restart of the alert role they are delivered once each when SNS is back")
  void outageAndRestart() throws Exception {
    fauxqs.down();
    reading("ground-1", 95);
    reading("ground-2", 96);
    Await.until(Duration.ofSeconds(5), () -> alerts.events.size() == 2);
    // SNS stays down a while: the dispatcher tries, fails and backs off before the restart
    Thread.sleep(1500);
    alerts.undeploy();
    alerts.deploy();
    // and a while after it: the restarted role finds the outbox while SNS is still down
    Thread.sleep(500);
    fauxqs.up();
    List<Message> delivered = fauxqs.topics().receive(queue, 2, Duration.ofSeconds(30));
    assertThat(delivered).extracting(message -> envelope(message).getJsonObject("MessageAttributes").getJsonObject("host").getString("Value"))
      .containsExactlyInAnyOrder("ground-1", "ground-2");
    reading("ground-1", 50);
    reading("ground-2", 50);
    List<Message> resolved = fauxqs.topics().receive(queue, 2, Duration.ofSeconds(15));
    assertThat(resolved).extracting(message -> new JsonObject(envelope(message).getString("Message")).getString("kind"))
      .containsExactly("RESOLVED", "RESOLVED");
    assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(3))).as("one message per state change, none twice").isEmpty();
  }

  @Test
  @DisplayName("On a FIFO topic the deduplication id is SNS's MessageDeduplicationId: a notification sent again after a crash "
    + "between SNS accepting it and the outbox marking it reaches subscribers once")
  void fifoTopicDropsRepeats(@TempDir Path dir) throws Exception {
    alerts.undeploy();
    String topic = fauxqs.topics().createFifoTopic("mission-alerts-" + UUID.randomUUID() + ".fifo");
    String fifoQueue = fauxqs.topics().subscribedQueue(topic, "ops-" + UUID.randomUUID() + ".fifo");
    AlertHarness fifo = new AlertHarness(vertx, db.url(), dir, RULES, Map.of(
      "MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", fauxqs.endpoint().toString(), "MC_SNS_TOPIC_ARN", topic)).deploy();
    reading("ground-7", 97);
    List<Message> fired = fauxqs.topics().receive(fifoQueue, 1, Duration.ofSeconds(10));
    assertThat(fired).hasSize(1);
    Map<String, String> system = fired.get(0).attributesAsStrings();
    String dedupId = envelope(fired.get(0)).getJsonObject("MessageAttributes").getJsonObject("dedupId").getString("Value");
    assertThat(system).containsEntry("MessageGroupId", "disk-full").containsEntry("MessageDeduplicationId", dedupId);
    Await.until(Duration.ofSeconds(5), () -> db.queryLong("SELECT COUNT(*) FROM notification_outbox WHERE sent_at IS NOT NULL") == 1);

    // the crash window: SNS took it, the outbox never heard; the next run sends it again
    fifo.undeploy();
    db.execute("UPDATE notification_outbox SET sent_at = NULL, next_attempt_at = NOW(6)");
    fifo.deploy();
    Await.until(Duration.ofSeconds(10), () -> db.queryLong("SELECT COUNT(*) FROM notification_outbox WHERE sent_at IS NOT NULL") == 1);
    assertThat(db.queryLong("SELECT attempts FROM notification_outbox")).as("it was published twice").isEqualTo(2);
    assertThat(fauxqs.topics().receive(fifoQueue, 1, Duration.ofSeconds(3))).as("SNS dropped the repeat").isEmpty();
  }
}
