package space.mission.alert;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.alert.engine.AlertEngine;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertQuery;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the alert role writes at the contract's largest values (and in 4-byte characters, which
 * fill a utf8mb4 column's bytes four times as fast), and what it does when the database refuses a
 * decision for good: the queue moves on, the other parts are kept, and it says so as an alert.
 */
class AlertStorageLimitsTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final String ROCKET = "\uD83D\uDE80";

  Vertx vertx;
  AlertHarness alerts;

  @BeforeEach
  void deploy(@TempDir Path dir) throws Exception {
    db.execute("DROP TRIGGER IF EXISTS poison_history");
    db.truncate("alerts", "alert_history", "notification_outbox", "silences", "monitor_heartbeats", "log_tail_checkpoints");
    vertx = Vertx.vertx();
    alerts = new AlertHarness(vertx, db.url(), dir, AlertQueriesTest.RULES, Map.of()).deploy();
  }

  @AfterEach
  void close() {
    vertx.close().await();
    db.execute("DROP TRIGGER IF EXISTS poison_history");
  }

  private void status(String mission, String subsystem, Level level, String message) {
    vertx.eventBus().publish(Addresses.STATUS_UPDATE, new StatusUpdate(1, mission, subsystem, level, message, null, null, Instant.now()).toJson());
  }

  private JsonArray history(String fingerprint) {
    return alerts.query(AlertQuery.Action.HISTORY, new JsonObject().put("fingerprint", fingerprint)).getJsonArray("items");
  }

  private JsonArray active() {
    return alerts.query(AlertQuery.Action.LIST_ALERTS, new JsonObject()).getJsonArray("items");
  }

  private static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  @Test
  @DisplayName("Status messages of 2,000 characters (ASCII and 4-byte) fire alerts whose stored summaries fit; largest acknowledgements and silences are stored exactly")
  void largestValuesAreStored() throws Exception {
    status("voyager-64-characters-long-mission-id-aaaaaaaaaaaaaaaaaaaaaaaaaaa", "comms-subsystem-of-32-characters", Level.WARNING, "m".repeat(2000));
    status("r2", "power", Level.CRITICAL, ROCKET.repeat(2000));
    Await.until(Duration.ofSeconds(5), () -> active().size() == 2);
    for (Object item : active()) {
      String fingerprint = ((JsonObject) item).getString("fingerprint");
      Await.until(Duration.ofSeconds(5), () -> history(fingerprint).size() == 1);
      String stored = history(fingerprint).getJsonObject(0).getString("summary");
      assertThat(characters(stored)).isEqualTo(1000);
      assertThat(stored).endsWith("…");
    }
    String fingerprint = active().getJsonObject(0).getString("fingerprint");
    long started = System.nanoTime();
    JsonObject acknowledged = alerts.query(AlertQuery.Action.ACKNOWLEDGE,
      new JsonObject().put("fingerprint", fingerprint).put("by", ROCKET.repeat(200)).put("comment", ""));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the role is not wedged").isLessThan(Duration.ofSeconds(2));
    assertThat(acknowledged.getJsonObject("acknowledged").getString("by")).isEqualTo(ROCKET.repeat(200));

    JsonObject silence = alerts.query(AlertQuery.Action.CREATE_SILENCE, new JsonObject()
      .put("matchers", new JsonArray().add(new JsonObject().put("label", "L".repeat(64)).put("value", ROCKET.repeat(1000))))
      .put("duration", "P90D").put("author", ROCKET.repeat(200)).put("comment", ROCKET.repeat(2000)));

    alerts.undeploy();
    alerts.deploy();
    JsonObject restored = active().stream().map(JsonObject.class::cast).filter(alert -> alert.getString("fingerprint").equals(fingerprint))
      .findFirst().orElseThrow();
    assertThat(restored.getJsonObject("acknowledged").getString("by")).isEqualTo(ROCKET.repeat(200));
    assertThat(restored.getJsonObject("acknowledged").getString("comment")).isEqualTo("");
    JsonObject kept = alerts.query(AlertQuery.Action.LIST_SILENCES, new JsonObject()).getJsonArray("items").getJsonObject(0);
    assertThat(kept.getString("id")).isEqualTo(silence.getString("id"));
    assertThat(kept.getString("comment")).isEqualTo(ROCKET.repeat(2000));
    assertThat(kept.getString("author")).isEqualTo(ROCKET.repeat(200));
    assertThat(kept.getJsonArray("matchers").getJsonObject(0).getString("value")).isEqualTo(ROCKET.repeat(1000));
  }

  @Test
  @DisplayName("Silences that would overflow (a huge duration, a start near year 9999) are refused at once, not left to time out")
  void unstorableSilencesAreRefused() {
    JsonArray matchers = new JsonArray().add(new JsonObject().put("label", "mission").put("value", "r1"));
    JsonObject base = new JsonObject().put("matchers", matchers).put("author", "ops").put("comment", "c");
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, base.copy().put("duration", "PT2562047788015215H"))).isEqualTo(400);
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, base.copy().put("duration", "P91D"))).isEqualTo(400);
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, base.copy().put("startsAt", "9999-12-31T23:30:00Z").put("duration", "PT1H")))
      .isEqualTo(400);
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, base.copy().put("duration", "PT1H").put("author", ""))).isEqualTo(400);
    assertThat(alerts.query(AlertQuery.Action.CREATE_SILENCE, base.copy().put("duration", "PT1H").put("author", " ")).getString("author"))
      .as("a blank author is a non-empty string, as in the contract").isEqualTo(" ");
  }

  @Test
  @DisplayName("A decision the database refuses for good is dropped alone: later decisions commit at once, its notification is kept, and an alert says so")
  void permanentRefusalDoesNotBlockTheQueue() throws Exception {
    // a bad row, as a constraint or a column too short would make it: the server refuses it with a data error
    db.execute("CREATE TRIGGER poison_history BEFORE INSERT ON alert_history FOR EACH ROW "
      + "IF NEW.summary LIKE '%poison%' THEN SIGNAL SQLSTATE '22001' SET MESSAGE_TEXT = 'row refused by a trigger'; END IF");
    status("r1", "comms", Level.CRITICAL, "poison");
    Await.until(Duration.ofSeconds(10), () -> active().stream().map(JsonObject.class::cast)
      .anyMatch(alert -> alert.getString("rule").equals(AlertEngine.WRITE_REFUSED_RULE)));
    status("r2", "comms", Level.CRITICAL, "fine");
    Await.until(Duration.ofSeconds(5), () -> db.queryLong("SELECT COUNT(*) FROM alert_history WHERE summary LIKE '%r2%'") == 1);

    JsonObject refusal = active().stream().map(JsonObject.class::cast)
      .filter(alert -> alert.getString("rule").equals(AlertEngine.WRITE_REFUSED_RULE)).findFirst().orElseThrow();
    assertThat(refusal.getString("state")).isEqualTo("FIRING");
    assertThat(refusal.getString("summary")).contains("row refused by a trigger");
    assertThat(db.queryLong("SELECT COUNT(*) FROM alert_history WHERE rule = '" + AlertEngine.WRITE_REFUSED_RULE + "'")).isEqualTo(1);
    assertThat(db.queryLong("SELECT COUNT(*) FROM alert_history WHERE summary LIKE '%poison%'")).isZero();
    assertThat(db.queryLong("SELECT COUNT(*) FROM notification_outbox WHERE JSON_SEARCH(alerts, 'one', '%poison%') IS NOT NULL"))
      .as("the decision's notification is not lost with its history row").isEqualTo(1);

    String fingerprint = active().stream().map(JsonObject.class::cast).filter(alert -> "r2".equals(alert.getJsonObject("labels").getString("mission")))
      .findFirst().orElseThrow().getString("fingerprint");
    long started = System.nanoTime();
    alerts.query(AlertQuery.Action.ACKNOWLEDGE, new JsonObject().put("fingerprint", fingerprint).put("by", "ops"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    double refused = MissionMetrics.of(vertx).registry().get("mission.alert.writes.refused").counter().count();
    assertThat(refused).isEqualTo(1.0);
    assertThat(MissionMetrics.of(vertx).registry().get("mission.alert.uncommitted").gauge().value()).isZero();
  }
}
