package space.mission.alert.engine;

import java.util.ArrayList;
import java.util.List;

/** What the engine decided since it was last asked: alert changes, notifications to send, silences to keep. */
public record Outcome(List<Change> changes, List<Notification> notifications, List<Silence> silences) {

  public Outcome {
    changes = List.copyOf(changes);
    notifications = List.copyOf(notifications);
    silences = List.copyOf(silences);
  }

  /** How many changes, notifications and silences this holds. */
  public int size() {
    return changes.size() + notifications.size() + silences.size();
  }

  /**
   * This outcome as one outcome per change, notification and silence, in order: what a queue
   * commits one by one when the whole was refused, so only the part that cannot be stored is lost.
   */
  public List<Outcome> pieces() {
    List<Outcome> pieces = new ArrayList<>();
    changes.forEach(change -> pieces.add(new Outcome(List.of(change), List.of(), List.of())));
    silences.forEach(silence -> pieces.add(new Outcome(List.of(), List.of(), List.of(silence))));
    notifications.forEach(notification -> pieces.add(new Outcome(List.of(), List.of(notification), List.of())));
    return pieces;
  }

  public boolean isEmpty() {
    return changes.isEmpty() && notifications.isEmpty() && silences.isEmpty();
  }
}
