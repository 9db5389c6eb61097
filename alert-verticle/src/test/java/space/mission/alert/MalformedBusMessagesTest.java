package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages on the addresses the alert role consumes that cannot be read: each is counted per
 * address and logged, none throws inside a consumer, and the consumers go on with the next message.
 */
class MalformedBusMessagesTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final String RULES = """
    readings:
      - { name: disk-any, metric: disk.usage, comparison: ">", threshold: 90, severity: WARNING }
    status: { name: mission-status }
    backupFailed: { name: backup-failed, severity: CRITICAL }
    """;

  Vertx vertx;
  AlertHarness alerts;
  final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy(@TempDir Path dir) throws Exception {
    db.truncate("alerts", "alert_history", "notification_outbox", "silences", "monitor_heartbeats", "log_tail_checkpoints");
    vertx = Vertx.vertx();
    // a handler that throws reaches this: the test fails if any consumer let an exception out
    vertx.exceptionHandler(uncaught::add);
    alerts = new AlertHarness(vertx, db.url(), dir, RULES, Map.of()).deploy();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private double malformed(String address) {
    return MissionMetrics.of(vertx).registry().get("mission.alert.bus.malformed").tag("address", address).counter().count();
  }

  @Test
  @DisplayName("Malformed readings, status updates and backup events are counted per address and ignored; valid ones after them still fire")
  void countedAndIgnored() throws Exception {
    JsonObject noHost = new JsonObject().put("v", 1).put("instance", "i-1").put("timestamp", Instant.now().toString());
    vertx.eventBus().publish(Addresses.MONITOR_READING, noHost);
    vertx.eventBus().publish(Addresses.MONITOR_READING, "not json at all");
    vertx.eventBus().publish(Addresses.MONITOR_READING, new JsonObject().put("v", 99));
    vertx.eventBus().publish(Addresses.STATUS_UPDATE, new JsonObject().put("v", 1).put("missionId", "voyager-3"));
    vertx.eventBus().publish(Addresses.BACKUP_EVENT, new JsonObject().put("v", 1).put("type", "EXPLODED"));

    AlertHarness.publishDiskReading(vertx, "ground-1", 95);
    vertx.eventBus().publish(Addresses.STATUS_UPDATE,
      new StatusUpdate(7, "voyager-3", "comms", Level.CRITICAL, "lost lock", null, null, Instant.now()).toJson());
    vertx.eventBus().publish(Addresses.BACKUP_EVENT, BackupEvent.failed("b-1", Instant.now(), "S3 is down").toJson());
    Await.until(Duration.ofSeconds(10), () -> alerts.events.size() == 3);

    assertThat(alerts.events).extracting(AlertEvent::rule).containsExactlyInAnyOrder("disk-any", "mission-status", "backup-failed");
    assertThat(alerts.events).extracting(AlertEvent::state).containsOnly(AlertEvent.State.FIRING);
    assertThat(malformed(Addresses.MONITOR_READING)).isEqualTo(3.0);
    assertThat(malformed(Addresses.STATUS_UPDATE)).isEqualTo(1.0);
    assertThat(malformed(Addresses.BACKUP_EVENT)).isEqualTo(1.0);
    assertThat(uncaught).as("no consumer threw").isEmpty();
  }
}
