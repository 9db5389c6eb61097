package space.mission.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed bus contracts: the records write exactly the payloads the roles exchanged before they
 * existed (a mixed-version cluster keeps talking), and the clients send them on a real event bus
 * and hand back replies and refusals as they come.
 */
class BusContractsTest {

  private static final Instant T = Instant.parse("2026-12-04T03:00:00Z");

  private Vertx vertx;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  @Test
  @DisplayName("StatusUpdates and StatusSince write {\"v\":1,\"updates\":[...]} and {\"v\":1,\"after\":n,\"limit\":n}, and read them back")
  void statusPayloads() {
    StatusUpdate update = new StatusUpdate(7, "voyager-3", "comms", Level.WATCH, "fading", null, null, T);
    assertThat(new StatusUpdates(List.of(update)).toJson())
      .isEqualTo(new JsonObject().put("v", 1).put("updates", new io.vertx.core.json.JsonArray().add(update.toJson())));
    assertThat(StatusUpdates.fromJson(new StatusUpdates(List.of(update)).toJson()).updates()).containsExactly(update);
    assertThat(new StatusSince(41, 500).toJson()).isEqualTo(new JsonObject().put("v", 1).put("after", 41L).put("limit", 500));
    assertThat(StatusSince.fromJson(new JsonObject().put("v", 1))).isEqualTo(new StatusSince(0, Addresses.STATUS_SINCE_MAX_LIMIT));
    assertThat(StatusSince.fromJson(new JsonObject().put("after", 5).put("limit", 1_000_000)).limit()).isEqualTo(Addresses.STATUS_SINCE_MAX_LIMIT);
    assertThat(StatusSince.fromJson(new JsonObject().put("after", 5).put("limit", -3)).limit()).isEqualTo(1);
    assertThatThrownBy(() -> StatusSince.fromJson(new JsonObject().put("after", "yesterday")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after and limit must be numbers");
  }

  @Test
  @DisplayName("AlertQuery's factories write the arguments the alert role has always read, and its readers give them back typed")
  void alertQueries() {
    AlertQuery ack = AlertQuery.acknowledge(new AlertQuery.Acknowledge("f00d", "ops", null));
    assertThat(ack.toJson()).isEqualTo(new JsonObject().put("v", 1).put("action", "ACKNOWLEDGE")
      .put("arguments", new JsonObject().put("fingerprint", "f00d").put("by", "ops").putNull("comment")));
    assertThat(AlertQuery.fromJson(ack.toJson()).acknowledge()).isEqualTo(new AlertQuery.Acknowledge("f00d", "ops", null));

    AlertQuery firstPage = AlertQuery.history(new AlertQuery.History(50, null, null));
    assertThat(firstPage.arguments()).isEqualTo(new JsonObject().put("limit", 50).putNull("fingerprint"));
    AlertQuery nextPage = AlertQuery.history(new AlertQuery.History(10, "f00d", 99L));
    assertThat(AlertQuery.fromJson(nextPage.toJson()).history()).isEqualTo(new AlertQuery.History(10, "f00d", 99L));

    AlertQuery expire = AlertQuery.expireSilence(new AlertQuery.ExpireSilence("s-1", null));
    assertThat(expire.arguments()).isEqualTo(new JsonObject().put("id", "s-1").putNull("by"));
    assertThat(AlertQuery.listAlerts().toJson()).isEqualTo(new JsonObject().put("v", 1).put("action", "LIST_ALERTS").put("arguments", new JsonObject()));

    JsonObject silence = new JsonObject().put("matchers", new io.vertx.core.json.JsonArray()).put("duration", "PT1H");
    assertThat(AlertQuery.createSilence(silence).silence()).isEqualTo(silence);
  }

  @Test
  @DisplayName("BackupQuery's factories write {\"action\":\"LIST\",\"arguments\":{}} and GET with the id, as before")
  void backupQueries() {
    assertThat(BackupQuery.list().toJson()).isEqualTo(new JsonObject().put("v", 1).put("action", "LIST").put("arguments", new JsonObject()));
    assertThat(BackupQuery.get("b-1").toJson()).isEqualTo(new BackupQuery(BackupQuery.Action.GET, new JsonObject().put("id", "b-1")).toJson());
    assertThat(BackupQuery.fromJson(BackupQuery.get("b-1").toJson()).id()).isEqualTo("b-1");
  }

  @Test
  @DisplayName("AlertClient sends each query to mission.alert.query and answers the reply; a refusal keeps its code and message")
  void alertClient() {
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_QUERY, this::answer);
    AlertClient alerts = AlertClient.onBus(vertx, 2_000);

    assertThat(alerts.activeAlerts().await().getString("answered")).isEqualTo("LIST_ALERTS");
    assertThat(alerts.acknowledge(new AlertQuery.Acknowledge("f00d", "ops", "seen")).await().getString("answered")).isEqualTo("ACKNOWLEDGE");
    assertThat(alerts.history(new AlertQuery.History(5, null, 10L)).await().getString("answered")).isEqualTo("HISTORY");
    assertThat(alerts.silences().await().getString("answered")).isEqualTo("LIST_SILENCES");
    assertThat(alerts.createSilence(new JsonObject().put("duration", "PT1H")).await().getString("answered")).isEqualTo("CREATE_SILENCE");
    assertThat(alerts.rules().await().getString("answered")).isEqualTo("LIST_RULES");
    assertThat(received).extracting(json -> AlertQuery.fromJson(json).action()).containsExactly(AlertQuery.Action.LIST_ALERTS,
      AlertQuery.Action.ACKNOWLEDGE, AlertQuery.Action.HISTORY, AlertQuery.Action.LIST_SILENCES, AlertQuery.Action.CREATE_SILENCE,
      AlertQuery.Action.LIST_RULES);
    assertThat(AlertQuery.fromJson(received.get(1)).acknowledge()).isEqualTo(new AlertQuery.Acknowledge("f00d", "ops", "seen"));

    assertThatThrownBy(() -> alerts.expireSilence(new AlertQuery.ExpireSilence("s-404", "ops")).await())
      .isInstanceOfSatisfying(ReplyException.class, refusal -> {
        assertThat(refusal.failureCode()).isEqualTo(BusFailure.NOT_FOUND.code);
        assertThat(refusal.getMessage()).isEqualTo("no silence s-404");
      });
  }

  @Test
  @DisplayName("BackupClient and StatusClient read their replies as records; with no role listening they fail within their wait")
  void backupAndStatusClients() {
    vertx.eventBus().<JsonObject>consumer(Addresses.BACKUP_REQUEST, message -> {
      received.add(message.body());
      message.reply(new BackupAccepted("b-9", false).toJson());
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.BACKUP_QUERY, message -> message.reply(new JsonObject().put("id", BackupQuery.fromJson(message.body()).id())));
    StatusUpdate update = new StatusUpdate(3, "voyager-3", "power", Level.NOMINAL, "ok", null, null, T);
    vertx.eventBus().<JsonObject>consumer(Addresses.STATUS_SINCE, message ->
      message.reply(new StatusUpdates(StatusSince.fromJson(message.body()).after() < 3 ? List.of(update) : List.of()).toJson()));

    BackupClient backups = BackupClient.onBus(vertx, 2_000);
    assertThat(backups.request(new BackupRequest("ops", "drill")).await()).isEqualTo(new BackupAccepted("b-9", false));
    assertThat(BackupRequest.fromJson(received.get(0))).isEqualTo(new BackupRequest("ops", "drill"));
    assertThat(backups.backup("b-9").await().getString("id")).isEqualTo("b-9");

    StatusClient status = StatusClient.onBus(vertx, 300);
    assertThat(status.since(new StatusSince(0, 100)).await().updates()).containsExactly(update);
    assertThat(status.since(new StatusSince(3, 100)).await().updates()).isEmpty();
    // nobody answers mission.status.latest here
    assertThatThrownBy(() -> status.latest().await()).isInstanceOf(ReplyException.class);
  }

  private void answer(Message<JsonObject> message) {
    received.add(message.body());
    AlertQuery query = AlertQuery.fromJson(message.body());
    if (query.action() == AlertQuery.Action.EXPIRE_SILENCE) {
      message.fail(BusFailure.NOT_FOUND.code, "no silence " + query.expireSilence().id());
      return;
    }
    message.reply(new JsonObject().put("answered", query.action().name()));
  }
}
