package space.mission.alert.engine;

import java.util.List;

/** What the engine decided since it was last asked: alert changes, notifications to send, silences to keep. */
public record Outcome(List<Change> changes, List<Notification> notifications, List<Silence> silences) {

  public Outcome {
    changes = List.copyOf(changes);
    notifications = List.copyOf(notifications);
    silences = List.copyOf(silences);
  }

  public boolean isEmpty() {
    return changes.isEmpty() && notifications.isEmpty() && silences.isEmpty();
  }
}
