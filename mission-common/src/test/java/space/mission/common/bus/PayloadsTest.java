package space.mission.common.bus;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {

  private static final Instant T = Instant.parse("2026-11-22T10:15:30.123456Z");

  @Test
  @DisplayName("Every message record survives a JSON round trip and carries the schema version")
  void roundTrips() {
    StatusUpdate update = new StatusUpdate(42, "voyager-3", "comms", Level.WARNING, "high bit error rate",
      new JsonObject().put("ber", 1e-4), T.minusSeconds(70_000), T);
    assertThat(StatusUpdate.fromJson(update.toJson())).isEqualTo(update);
    assertThat(update.toJson().getInteger("v")).isEqualTo(Payloads.VERSION);

    Mission mission = new Mission("voyager-3", "Voyager 3", "Proxima b", Phase.CRUISE, 3600, 4, T, T);
    assertThat(Mission.fromJson(mission.toJson())).isEqualTo(mission);

    ResourceReading reading = new ResourceReading("ground-1", "m-1", T,
      new ResourceReading.Cpu(12.5, List.of(10.0, 15.0)), new ResourceReading.Load(0.5, 0.4, 0.3),
      new ResourceReading.Memory(1024, 4096), new ResourceReading.Memory(0, 2048),
      List.of(new ResourceReading.Disk("/", "ext4", 50, 100, 10, 1000)),
      List.of(new ResourceReading.Network("eth0", 100.0, 200.0, 1.0, 2.0)), 321, 86400, 5);
    assertThat(ResourceReading.fromJson(reading.toJson())).isEqualTo(reading);

    AlertEvent alert = new AlertEvent(AlertEvent.State.FIRING, "cpu-high", Severity.CRITICAL,
      Map.of("host", "ground-1"), 97.5, T, null, "f00d", "CPU above 90% for 1m");
    assertThat(AlertEvent.fromJson(alert.toJson())).isEqualTo(alert);

    AlertQuery query = new AlertQuery(AlertQuery.Action.CREATE_SILENCE, new JsonObject().put("author", "ops"));
    assertThat(AlertQuery.fromJson(query.toJson())).isEqualTo(query);

    assertThat(BackupRequest.fromJson(new BackupRequest("ops", "before upgrade").toJson())).isEqualTo(new BackupRequest("ops", "before upgrade"));
    assertThat(BackupAccepted.fromJson(new BackupAccepted("b-1", true).toJson())).isEqualTo(new BackupAccepted("b-1", true));
    BackupQuery backupQuery = new BackupQuery(BackupQuery.Action.GET, new io.vertx.core.json.JsonObject().put("id", "b-1"));
    assertThat(BackupQuery.fromJson(backupQuery.toJson())).isEqualTo(backupQuery);
    BackupEvent event = new BackupEvent(BackupEvent.Type.SUCCEEDED, "b-1", T, 1000L, 10L, "abc", true, null);
    assertThat(BackupEvent.fromJson(event.toJson())).isEqualTo(event);
  }

  @Test
  @DisplayName("A payload without a version, with a newer version or with a bad field is refused, naming the field")
  void refusesBadPayloads() {
    assertThatThrownBy(() -> StatusUpdate.fromJson(new JsonObject().put("id", 1)))
      .hasMessageContaining("field v");
    assertThatThrownBy(() -> StatusUpdate.fromJson(new JsonObject().put("v", 99)))
      .hasMessageContaining("newer");
    JsonObject badLevel = new StatusUpdate(1, "m", "s", Level.NOMINAL, "ok", null, null, T).toJson().put("level", "FINE");
    assertThatThrownBy(() -> StatusUpdate.fromJson(badLevel)).hasMessageContaining("field level");
  }

  @Test
  @DisplayName("Levels order by severity and phases move forward only")
  void ordering() {
    assertThat(Level.worst(Level.WATCH, Level.CRITICAL)).isEqualTo(Level.CRITICAL);
    assertThat(Level.worst(null, Level.NOMINAL)).isEqualTo(Level.NOMINAL);
    assertThat(Phase.PLANNED.canMoveTo(Phase.CRUISE)).isTrue();
    assertThat(Phase.CRUISE.canMoveTo(Phase.LAUNCHED)).isFalse();
    assertThat(Phase.CRUISE.canMoveTo(Phase.LOST)).isTrue();
    assertThat(Phase.COMPLETE.canMoveTo(Phase.LOST)).isFalse();
  }
}
