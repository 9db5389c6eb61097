package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.sqs.model.Message;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.LocalStack;
import space.mission.testkit.SnsTopics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With Docker present, the SNS delivery path runs against LocalStack's SNS and SQS too (skipped otherwise). */
class LocalStackSnsTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @Test
  @DisplayName("LocalStack: a reading over a threshold reaches an SQS subscriber with its attributes, then the resolved message")
  void againstLocalStack(@TempDir Path dir) throws Exception {
    try (LocalStack localStack = LocalStack.start(LocalStackContainer.Service.SNS, LocalStackContainer.Service.SQS);
         SnsTopics topics = new SnsTopics(localStack.endpoint(), localStack.region())) {
      String topic = topics.createTopic("mission-alerts");
      String queue = topics.subscribedQueue(topic, "ops");
      Vertx vertx = Vertx.vertx();
      try {
        new AlertHarness(vertx, db.url(), dir, SnsDeliveryTest.RULES, Map.of("MC_AWS_REGION", localStack.region(),
          "MC_AWS_ENDPOINT", localStack.endpoint().toString(), "MC_SNS_TOPIC_ARN", topic)).deploy();
        AlertHarness.publishDiskReading(vertx, "ground-1", 95);
        List<Message> fired = topics.receive(queue, 1, Duration.ofSeconds(20));
        assertThat(fired).hasSize(1);
        JsonObject envelope = new JsonObject(fired.get(0).body());
        assertThat(envelope.getString("Subject")).isEqualTo("[WARNING] FIRING: disk-full on ground-1 mount /data");
        assertThat(envelope.getJsonObject("MessageAttributes").getJsonObject("rule").getString("Value")).isEqualTo("disk-full");

        AlertHarness.publishDiskReading(vertx, "ground-1", 60);
        List<Message> resolved = topics.receive(queue, 1, Duration.ofSeconds(20));
        assertThat(resolved).hasSize(1);
        assertThat(new JsonObject(new JsonObject(resolved.get(0).body()).getString("Message")).getString("kind")).isEqualTo("RESOLVED");
      } finally {
        vertx.close().await();
      }
    }
  }
}
