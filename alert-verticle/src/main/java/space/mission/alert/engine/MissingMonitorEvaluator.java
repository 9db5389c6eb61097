package space.mission.alert.engine;

import space.mission.alert.rules.MissingMonitorRule;
import space.mission.common.bus.ResourceReading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Monitors that stop reporting. Every reading says its monitor is alive (kept whether or not a
 * rule watches, since the store saves heartbeats for a takeover); with the rule configured, a
 * monitor silent for its rule's number of intervals fires, its next reading resolves it, and one
 * silent past {@code forgetAfter} is forgotten.
 */
final class MissingMonitorEvaluator implements RuleEvaluator {

  private final AlertLifecycle lifecycle;
  private final Optional<MissingMonitorRule> rule;
  private final Map<String, Monitor> monitors = new HashMap<>();

  private static final class Monitor {
    final String host;
    final String instance;
    int intervalSeconds;
    Instant lastSeen;
    Alert alert;

    Monitor(String host, String instance) {
      this.host = host;
      this.instance = instance;
    }
  }

  MissingMonitorEvaluator(AlertLifecycle lifecycle, Optional<MissingMonitorRule> rule) {
    this.lifecycle = lifecycle;
    this.rule = rule;
  }

  @Override
  public boolean onReading(ResourceReading reading, Instant now) {
    Monitor monitor = monitors.computeIfAbsent(reading.host() + "/" + reading.instance(), key -> new Monitor(reading.host(), reading.instance()));
    monitor.lastSeen = now;
    if (reading.intervalSeconds() > 0) {
      monitor.intervalSeconds = reading.intervalSeconds();
    }
    if (monitor.alert != null) {
      monitor.alert.summary = "monitor " + monitor.instance + " on " + monitor.host + " reports again";
      lifecycle.resolve(monitor.alert, now, "the monitor reports again");
      monitor.alert = null;
    }
    return true;
  }

  @Override
  public void tick(Instant now) {
    rule.ifPresent(missing -> check(missing, now));
  }

  private void check(MissingMonitorRule rule, Instant now) {
    List<String> forgotten = new ArrayList<>();
    for (Map.Entry<String, Monitor> entry : monitors.entrySet()) {
      Monitor monitor = entry.getValue();
      Duration silent = Duration.between(monitor.lastSeen, now);
      if (silent.compareTo(rule.forgetAfter()) > 0) {
        forgotten.add(entry.getKey());
        if (monitor.alert != null) {
          lifecycle.resolve(monitor.alert, now, "the monitor was silent for " + rule.forgetAfter() + " and is forgotten");
        }
        continue;
      }
      int interval = monitor.intervalSeconds > 0 ? monitor.intervalSeconds : rule.defaultIntervalSeconds();
      if (monitor.alert == null && silent.compareTo(Duration.ofSeconds((long) interval * rule.intervals())) > 0) {
        Alert alert = lifecycle.open(rule.name(), Labels.of("host", monitor.host, "instance", monitor.instance), rule.severity(), now);
        alert.value = (double) silent.toSeconds();
        alert.summary = "monitor " + monitor.instance + " on " + monitor.host + " stopped reporting " + silent.toSeconds()
          + " s ago (it reports every " + interval + " s)";
        monitor.alert = alert;
        lifecycle.fire(alert, now);
      } else if (monitor.alert != null) {
        monitor.alert.value = (double) silent.toSeconds();
      }
    }
    forgotten.forEach(monitors::remove);
  }

  /** Takes back the monitors the store knew of, so one that stayed silent across a restart still fires. */
  void restore(List<AlertEngine.MonitorSeen> seen) {
    for (AlertEngine.MonitorSeen monitor : seen) {
      Monitor restored = new Monitor(monitor.host(), monitor.instance());
      restored.intervalSeconds = monitor.intervalSeconds();
      restored.lastSeen = monitor.lastSeen();
      monitors.put(monitor.host() + "/" + monitor.instance(), restored);
    }
  }

  @Override
  public boolean adopt(Alert alert, Instant now) {
    if (!rule.map(missing -> missing.name().equals(alert.rule)).orElse(false)) {
      return false;
    }
    Monitor monitor = monitors.computeIfAbsent(alert.labels.get("host") + "/" + alert.labels.get("instance"),
      key -> new Monitor(alert.labels.get("host"), alert.labels.get("instance")));
    monitor.alert = alert;
    return true;
  }

  List<AlertEngine.MonitorSeen> seen() {
    return monitors.values().stream().map(m -> new AlertEngine.MonitorSeen(m.host, m.instance, m.intervalSeconds, m.lastSeen)).toList();
  }
}
