package space.mission.alert.engine;

import space.mission.common.bus.Severity;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One message to send to people: the alerts of one rule that fired together (FIRING), that are
 * still firing after the repeat interval (REPEAT), or one alert that resolved (RESOLVED). The
 * deduplication id is stable: the same decision made again (after a crash, say) carries the same id.
 */
public record Notification(Kind kind, String rule, Severity severity, List<AlertView> alerts, String dedupId, Instant createdAt) {

  public enum Kind { FIRING, REPEAT, RESOLVED }

  public Notification {
    alerts = List.copyOf(alerts);
  }

  static Severity worst(List<AlertView> alerts) {
    return alerts.stream().map(AlertView::severity).max(Comparator.naturalOrder()).orElse(Severity.INFO);
  }
}
