package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to a {@link BackupRequest}: the id of the backup that will answer it. When a backup is
 * already running, that backup's id comes back with {@code alreadyRunning} set.
 */
public record BackupAccepted(String backupId, boolean alreadyRunning) {

  public JsonObject toJson() {
    return Payloads.versioned().put("backupId", backupId).put("alreadyRunning", alreadyRunning);
  }

  public static BackupAccepted fromJson(JsonObject json) {
    Payloads.checkVersion(json, "BackupAccepted");
    return new BackupAccepted(Payloads.string(json, "backupId"), json.getBoolean("alreadyRunning", false));
  }
}
