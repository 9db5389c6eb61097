package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;

/**
 * An alert as it is after the engine changed it. {@code event} says what happened when it goes
 * into the history, or null when only bookkeeping changed (it was notified).
 */
public record Change(AlertView alert, HistoryEvent event, String actor, JsonObject detail) {

  public boolean historic() {
    return event != null;
  }

  /** Whether this change is one the bus carries on {@code mission.alert.event}. */
  public boolean published() {
    return event != null && event.published();
  }
}
