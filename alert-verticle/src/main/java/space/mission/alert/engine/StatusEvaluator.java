package space.mission.alert.engine;

import space.mission.alert.rules.StatusRule;
import space.mission.common.bus.Level;
import space.mission.common.bus.Severity;
import space.mission.common.bus.StatusUpdate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mission status: a subsystem reporting WARNING or CRITICAL fires at once with that severity; a
 * change between the two escalates or de-escalates the same alert; NOMINAL resolves it; WATCH
 * changes nothing.
 */
final class StatusEvaluator implements RuleEvaluator {

  private final AlertLifecycle lifecycle;
  private final Optional<StatusRule> rule;
  /** By mission/subsystem. */
  private final Map<String, Alert> alerts = new HashMap<>();

  StatusEvaluator(AlertLifecycle lifecycle, Optional<StatusRule> rule) {
    this.lifecycle = lifecycle;
    this.rule = rule;
  }

  @Override
  public boolean onStatusUpdate(StatusUpdate update, Instant now) {
    if (rule.isEmpty()) {
      return false;
    }
    String key = update.missionId() + "/" + update.subsystem();
    Alert alert = alerts.get(key);
    if (update.level() == Level.WARNING || update.level() == Level.CRITICAL) {
      Severity severity = update.level() == Level.CRITICAL ? Severity.CRITICAL : Severity.WARNING;
      String summary = update.subsystem() + " of " + update.missionId() + " reports " + update.level() + ": " + update.message();
      if (alert == null) {
        // the episode starts at the update's recording (the database's time), so every instance that decides it names its notifications alike
        alert = lifecycle.open(rule.get().name(), Labels.of("mission", update.missionId(), "subsystem", update.subsystem()), severity,
          update.recordedAt() == null ? now : update.recordedAt());
        alert.summary = summary;
        alerts.put(key, alert);
        lifecycle.fire(alert, now);
      } else if (severity != alert.severity) {
        alert.summary = summary;
        lifecycle.changeSeverity(alert, severity, now);
      }
    } else if (update.level() == Level.NOMINAL && alert != null) {
      alert.summary = update.subsystem() + " of " + update.missionId() + " reports NOMINAL again: " + update.message();
      lifecycle.resolve(alert, now, "the subsystem reports NOMINAL");
      alerts.remove(key);
    }
    return true;
  }

  @Override
  public boolean adopt(Alert alert, Instant now) {
    if (!rule.map(status -> status.name().equals(alert.rule)).orElse(false)) {
      return false;
    }
    alerts.put(alert.labels.get("mission") + "/" + alert.labels.get("subsystem"), alert);
    return true;
  }
}
