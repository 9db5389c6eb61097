package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.AlertQuery;
import space.mission.testkit.Await;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.RestartableDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL stopped under a running alert role: rules keep firing from memory (bus events, the API's
 * list), nothing is notified before it is committed, and when the database is back what was
 * decided is committed in order and delivered, with no restart.
 */
class AlertDatabaseOutageTest {

  @Test
  @DisplayName("While the database is down alerts still fire and show; once it is back they are committed and reach SNS, once each")
  void outageAndRecovery(@TempDir Path dir) throws Exception {
    try (RestartableDatabase database = RestartableDatabase.start(); Fauxqs fauxqs = Fauxqs.start()) {
      String topic = fauxqs.topics().createTopic("outage-alerts");
      String queue = fauxqs.topics().subscribedQueue(topic, "outage-ops");
      Vertx vertx = Vertx.vertx();
      try {
        AlertHarness alerts = new AlertHarness(vertx, database.database("alert_outage"), dir, SnsDeliveryTest.RULES, Map.of(
          "MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", fauxqs.endpoint().toString(), "MC_SNS_TOPIC_ARN", topic,
          "MC_DB_CONNECT_TIMEOUT", "1s")).deploy();

        database.stop();
        AlertHarness.publishDiskReading(vertx, "ground-1", 95);
        AlertHarness.publishDiskReading(vertx, "ground-2", 97);
        Await.until(Duration.ofSeconds(5), () -> alerts.events.size() == 2);
        assertThat(alerts.events).extracting(AlertEvent::state).containsOnly(AlertEvent.State.FIRING);
        JsonArray active = alerts.query(AlertQuery.Action.LIST_ALERTS, new JsonObject()).getJsonArray("items");
        assertThat(active).hasSize(2);
        assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(2))).as("nothing is sent before it is committed").isEmpty();

        database.restart();
        List<Message> delivered = fauxqs.topics().receive(queue, 2, Duration.ofSeconds(30));
        assertThat(delivered).extracting(message -> new JsonObject(message.body()).getJsonObject("MessageAttributes")
          .getJsonObject("host").getString("Value")).containsExactlyInAnyOrder("ground-1", "ground-2");
        JsonArray history = alerts.query(AlertQuery.Action.HISTORY, new JsonObject()).getJsonArray("items");
        assertThat(history.stream().map(row -> ((JsonObject) row).getString("event")).toList()).containsOnly("FIRING").hasSize(2);
        assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(2))).as("once each").isEmpty();
      } finally {
        vertx.close().await();
      }
    }
  }
}
