package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.runtime.db.Databases;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.RestartableDatabase;
import space.mission.testkit.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two alert roles on one database, each deployed as the holder of the lease in its generation, the
 * way the singleton runner deploys them. The first one's renewals stop (as in a pause past the TTL),
 * the second takes the lease over; the first one keeps running and receiving readings, and nothing
 * it decides afterwards may be committed or published.
 */
class FencingTest {

  private static final Duration TTL = Duration.ofMillis(1500);

  @Test
  @DisplayName("A holder whose lease was taken over commits and publishes nothing; the new holder notifies each change once")
  void pausedHolderIsFenced(@TempDir Path dir) throws Exception {
    try (RestartableDatabase database = RestartableDatabase.start(); Fauxqs fauxqs = Fauxqs.start()) {
      String topic = fauxqs.topics().createTopic("fenced-alerts");
      String queue = fauxqs.topics().subscribedQueue(topic, "fenced-ops");
      DatabaseUrl url = database.database("fencing");
      Vertx vertx = Vertx.vertx();
      try {
        Pool leases = Databases.pool(vertx, new DatabaseSettings(url, 2, Duration.ofSeconds(2), Duration.ofSeconds(1)), "lease-test");
        SingletonLease first = new SingletonLease(leases, "role:alert", "first", TTL);
        SingletonLease second = new SingletonLease(leases, "role:alert", "second", TTL);
        assertThat(first.hold().await()).isTrue();
        long renewals = vertx.setPeriodic(300, id -> first.hold());

        Map<String, String> env = Map.of("MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", fauxqs.endpoint().toString(),
          "MC_SNS_TOPIC_ARN", topic);
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        new AlertHarness(vertx, url, dir.resolve("a"), SnsDeliveryTest.RULES, env).deploy(first.fence());
        AlertHarness.publishDiskReading(vertx, "ground-1", 95);
        List<Message> before = fauxqs.topics().receive(queue, 1, Duration.ofSeconds(15));
        assertThat(before).hasSize(1);
        long historyBefore = count(url, "SELECT COUNT(*) FROM alert_history");
        long outboxBefore = count(url, "SELECT COUNT(*) FROM notification_outbox");

        // the pause: renewals stop past the TTL and the other holder takes over
        vertx.cancelTimer(renewals);
        Thread.sleep(TTL.toMillis() + 300);
        assertThat(second.hold().await()).isTrue();
        assertThat(second.generation()).as("a takeover is a new generation").isEqualTo(first.generation() + 1);
        long renewSecond = vertx.setPeriodic(300, id -> second.hold());

        // the old holder wakes up and goes on deciding
        AlertHarness.publishDiskReading(vertx, "ground-2", 97);
        // it decides for a while: nothing it decides may be committed
        Thread.sleep(1500);
        assertThat(count(url, "SELECT COUNT(*) FROM alert_history")).as("nothing the old holder decided is committed").isEqualTo(historyBefore);
        assertThat(count(url, "SELECT COUNT(*) FROM notification_outbox")).isEqualTo(outboxBefore);
        assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(1))).as("nor published").isEmpty();
        assertThat(first.hold().await()).as("the old holder cannot take the lease back while it is held").isFalse();

        // the new holder restores from the database and decides the same change once
        new AlertHarness(vertx, url, dir.resolve("b"), SnsDeliveryTest.RULES, env).deploy(second.fence());
        AlertHarness.publishDiskReading(vertx, "ground-2", 97);
        AlertHarness.publishDiskReading(vertx, "ground-3", 99);
        List<Message> after = fauxqs.topics().receive(queue, 2, Duration.ofSeconds(15));
        assertThat(after).extracting(message -> new JsonObject(message.body()).getJsonObject("MessageAttributes")
          .getJsonObject("host").getString("Value")).containsExactlyInAnyOrder("ground-2", "ground-3");
        assertThat(fauxqs.topics().receive(queue, 1, Duration.ofSeconds(2))).as("each change once, none from the old holder").isEmpty();
        assertThat(count(url, "SELECT COUNT(*) FROM alert_history WHERE event = 'FIRING'")).isEqualTo(3);
        vertx.cancelTimer(renewSecond);
      } finally {
        vertx.close().await();
      }
    }
  }

  private static long count(DatabaseUrl url, String sql) {
    return TestDatabase.queryLong(url, sql);
  }
}
