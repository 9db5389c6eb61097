package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The reply of {@code mission.status.latest} and {@code mission.status.since}: status updates as
 * stored, {@code {"v":1,"updates":[StatusUpdate...]}}.
 */
public record StatusUpdates(List<StatusUpdate> updates) {

  public StatusUpdates {
    updates = List.copyOf(updates);
  }

  public JsonObject toJson() {
    return Payloads.versioned().put("updates", Payloads.array(updates, StatusUpdate::toJson));
  }

  public static StatusUpdates fromJson(JsonObject json) {
    Payloads.checkVersion(json, "StatusUpdates");
    return new StatusUpdates(Payloads.list(json, "updates", StatusUpdate::fromJson));
  }
}
