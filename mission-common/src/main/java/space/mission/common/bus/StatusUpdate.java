package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A subsystem's status report as stored: what {@code mission.status.update} carries and what the
 * HTTP API returns. {@code id} and {@code recordedAt} are the server's; {@code reportedAt} is the
 * spacecraft's clock, optional, and may lag by the light time.
 */
public record StatusUpdate(long id, String missionId, String subsystem, Level level, String message,
                           JsonObject telemetry, Instant reportedAt, Instant recordedAt) {

  public JsonObject toJson() {
    JsonObject json = Payloads.versioned()
      .put("id", id)
      .put("missionId", missionId)
      .put("subsystem", subsystem)
      .put("level", level.name())
      .put("message", message)
      .put("recordedAt", Payloads.format(recordedAt));
    if (telemetry != null) {
      json.put("telemetry", telemetry);
    }
    if (reportedAt != null) {
      json.put("reportedAt", Payloads.format(reportedAt));
    }
    return json;
  }

  public static StatusUpdate fromJson(JsonObject json) {
    Payloads.checkVersion(json, "StatusUpdate");
    return new StatusUpdate(
      Payloads.longValue(json, "id"),
      Payloads.string(json, "missionId"),
      Payloads.string(json, "subsystem"),
      Payloads.enumValue(json, "level", Level.class),
      Payloads.string(json, "message"),
      json.getJsonObject("telemetry"),
      Payloads.optionalInstant(json, "reportedAt"),
      Payloads.instant(json, "recordedAt"));
  }
}
