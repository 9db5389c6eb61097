package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A backup's progress, published on {@code mission.backup.event}. Sizes, rows and checksum are
 * known on SUCCEEDED; {@code error} is set on FAILED.
 */
public record BackupEvent(Type type, String backupId, Instant at, Long bytes, Long rows, String checksum,
                          Boolean verified, String error) {

  public enum Type { STARTED, SUCCEEDED, FAILED }

  public static BackupEvent started(String backupId, Instant at) {
    return new BackupEvent(Type.STARTED, backupId, at, null, null, null, null, null);
  }

  public static BackupEvent failed(String backupId, Instant at, String error) {
    return new BackupEvent(Type.FAILED, backupId, at, null, null, null, null, error);
  }

  public JsonObject toJson() {
    JsonObject json = Payloads.versioned()
      .put("type", type.name())
      .put("backupId", backupId)
      .put("at", Payloads.format(at));
    if (bytes != null) {
      json.put("bytes", bytes);
    }
    if (rows != null) {
      json.put("rows", rows);
    }
    if (checksum != null) {
      json.put("checksum", checksum);
    }
    if (verified != null) {
      json.put("verified", verified);
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }

  public static BackupEvent fromJson(JsonObject json) {
    Payloads.checkVersion(json, "BackupEvent");
    return new BackupEvent(
      Payloads.enumValue(json, "type", Type.class),
      Payloads.string(json, "backupId"),
      Payloads.instant(json, "at"),
      json.getLong("bytes"),
      json.getLong("rows"),
      Payloads.optionalString(json, "checksum"),
      json.getBoolean("verified"),
      Payloads.optionalString(json, "error"));
  }
}
