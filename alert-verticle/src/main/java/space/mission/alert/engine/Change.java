package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;

/**
 * An alert as it is after the engine changed it. {@code event} says what happened when it goes
 * into the history (PENDING, FIRING, RESOLVED, ACKNOWLEDGED, ESCALATED, ...), or null when only
 * bookkeeping changed (it was notified).
 */
public record Change(AlertView alert, String event, String actor, JsonObject detail) {

  public boolean historic() {
    return event != null;
  }
}
