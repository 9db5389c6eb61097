package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/** A request on {@code mission.backup.request} to take a backup now. The reply is a {@link BackupAccepted}. */
public record BackupRequest(String requestedBy, String reason) {

  public JsonObject toJson() {
    return Payloads.versioned().put("requestedBy", requestedBy).put("reason", reason);
  }

  public static BackupRequest fromJson(JsonObject json) {
    Payloads.checkVersion(json, "BackupRequest");
    return new BackupRequest(Payloads.optionalString(json, "requestedBy"), Payloads.optionalString(json, "reason"));
  }
}
