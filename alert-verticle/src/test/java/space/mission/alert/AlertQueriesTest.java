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
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.AlertQuery;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** mission.alert.query, and state that survives a restart of the alert role. */
class AlertQueriesTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final String RULES = """
    status: { name: mission-status }
    """;

  Vertx vertx;
  AlertHarness alerts;

  @BeforeEach
  void deploy(@TempDir Path dir) throws Exception {
    db.truncate("alerts", "alert_history", "notification_outbox", "silences", "monitor_heartbeats", "log_tail_checkpoints");
    vertx = Vertx.vertx();
    alerts = new AlertHarness(vertx, db.url(), dir, RULES, Map.of()).deploy();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void status(String mission, String subsystem, Level level) {
    vertx.eventBus().publish(Addresses.STATUS_UPDATE,
      new StatusUpdate(1, mission, subsystem, level, "report", null, null, Instant.now()).toJson());
  }

  private JsonArray active() {
    return alerts.query(AlertQuery.Action.LIST_ALERTS, new JsonObject()).getJsonArray("items");
  }

  @Test
  @DisplayName("A CRITICAL status update fires an alert for the mission's subsystem; acknowledging it is kept, with its actor, across a restart")
  void acknowledgeSurvivesRestart() throws Exception {
    status("voyager-3", "comms", Level.CRITICAL);
    Await.until(Duration.ofSeconds(5), () -> active().size() == 1);
    JsonObject alert = active().getJsonObject(0);
    assertThat(alert.getJsonObject("labels").getMap()).isEqualTo(Map.of("mission", "voyager-3", "subsystem", "comms"));
    assertThat(alert.getString("severity")).isEqualTo("CRITICAL");
    String fingerprint = alert.getString("fingerprint");

    JsonObject acknowledged = alerts.query(AlertQuery.Action.ACKNOWLEDGE,
      new JsonObject().put("fingerprint", fingerprint).put("by", "ops-alice").put("comment", "on it"));
    assertThat(acknowledged.getJsonObject("acknowledged").getString("by")).isEqualTo("ops-alice");

    alerts.undeploy();
    alerts.deploy();
    JsonObject restored = active().getJsonObject(0);
    assertThat(restored.getString("fingerprint")).isEqualTo(fingerprint);
    assertThat(restored.getString("state")).isEqualTo("FIRING");
    assertThat(restored.getJsonObject("acknowledged").getString("comment")).isEqualTo("on it");

    status("voyager-3", "comms", Level.NOMINAL);
    Await.until(Duration.ofSeconds(5), () -> alerts.query(AlertQuery.Action.HISTORY, new JsonObject().put("fingerprint", fingerprint))
      .getJsonArray("items").size() == 3);
    assertThat(active()).isEmpty();
    JsonArray history = alerts.query(AlertQuery.Action.HISTORY, new JsonObject().put("fingerprint", fingerprint)).getJsonArray("items");
    assertThat(history.stream().map(item -> ((JsonObject) item).getString("event")).toList())
      .containsExactly("RESOLVED", "ACKNOWLEDGED", "FIRING");
    assertThat(history.getJsonObject(1).getString("actor")).isEqualTo("ops-alice");
    assertThat(history.getJsonObject(2).getString("actor")).isEqualTo("system");
    assertThat(alerts.events).extracting(AlertEvent::state).containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
  }

  @Test
  @DisplayName("Silences are created, listed, survive a restart and expire; bad ones and unknown ids are refused with the right code")
  void silences() {
    JsonObject silence = alerts.query(AlertQuery.Action.CREATE_SILENCE, new JsonObject()
      .put("matchers", new JsonArray().add(new JsonObject().put("label", "mission").put("value", "voyager-.*").put("regex", true)))
      .put("duration", "PT2H").put("author", "ops-bob").put("comment", "antenna maintenance"));
    assertThat(silence.getString("state")).isEqualTo("ACTIVE");
    status("voyager-3", "comms", Level.WARNING);
    JsonObject muted;
    long deadline = System.nanoTime() + 5_000_000_000L;
    do {
      JsonArray items = active();
      muted = items.isEmpty() ? null : items.getJsonObject(0);
    } while (muted == null && System.nanoTime() < deadline);
    assertThat(muted.getString("state")).isEqualTo("FIRING");
    assertThat(muted.getJsonArray("silencedBy").getList()).containsExactly(silence.getString("id"));

    alerts.undeploy();
    alerts.deploy();
    JsonArray listed = alerts.query(AlertQuery.Action.LIST_SILENCES, new JsonObject()).getJsonArray("items");
    assertThat(listed.getJsonObject(0).getString("id")).isEqualTo(silence.getString("id"));
    JsonObject expired = alerts.query(AlertQuery.Action.EXPIRE_SILENCE, new JsonObject().put("id", silence.getString("id")).put("by", "ops-bob"));
    assertThat(expired.getString("state")).isEqualTo("EXPIRED");

    assertThat(alerts.refusal(AlertQuery.Action.EXPIRE_SILENCE, new JsonObject().put("id", "nope"))).isEqualTo(404);
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, new JsonObject().put("matchers", new JsonArray())
      .put("duration", "PT1H").put("author", "x").put("comment", "y"))).isEqualTo(400);
    assertThat(alerts.refusal(AlertQuery.Action.CREATE_SILENCE, new JsonObject()
      .put("matchers", new JsonArray().add(new JsonObject().put("label", "host").put("value", "([").put("regex", true)))
      .put("duration", "PT1H").put("author", "x").put("comment", "y"))).isEqualTo(400);
    assertThat(alerts.refusal(AlertQuery.Action.ACKNOWLEDGE, new JsonObject().put("fingerprint", "0000000000000000").put("by", "x"))).isEqualTo(404);
  }
}
