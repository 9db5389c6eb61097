package space.mission.alert.engine;

import space.mission.alert.rules.Metric;
import space.mission.alert.rules.ReadingRule;
import space.mission.common.bus.ResourceReading;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Threshold rules on resource readings: one alert per rule, host and item (core, mount,
 * interface). A breach goes PENDING and fires once it has lasted the rule's "for" duration; a
 * firing alert resolves only once the value is back past the clear threshold (hysteresis).
 */
final class ReadingEvaluator implements RuleEvaluator, Metric.Sink {

  private final AlertLifecycle lifecycle;
  private final List<ReadingRule> rules;
  /** Per rule, by host, then by item ("" for none). */
  private final Map<String, Map<String, Map<String, Alert>>> alerts = new HashMap<>();

  // the reading being evaluated, for accept(): no allocation per rule on the hot path
  private ReadingRule currentRule;
  private String currentHost;
  private Instant currentNow;

  ReadingEvaluator(AlertLifecycle lifecycle, List<ReadingRule> rules) {
    this.lifecycle = lifecycle;
    this.rules = rules;
    for (ReadingRule rule : rules) {
      alerts.put(rule.name(), new HashMap<>());
    }
  }

  @Override
  public boolean onReading(ResourceReading reading, Instant now) {
    currentHost = reading.host();
    currentNow = now;
    for (ReadingRule rule : rules) {
      if (rule.appliesTo(reading.host())) {
        currentRule = rule;
        rule.metric().each(reading, this);
      }
    }
    return true;
  }

  /** One value of the reading under evaluation (called by {@link Metric#each}). */
  @Override
  public void accept(String item, double value) {
    ReadingRule rule = currentRule;
    Map<String, Alert> byItem = alerts.get(rule.name()).get(currentHost);
    Alert alert = byItem == null ? null : byItem.get(item == null ? "" : item);
    if (alert == null) {
      if (rule.breaches(value)) {
        start(rule, currentHost, item, value, currentNow);
      }
      return;
    }
    alert.value = value;
    alert.summary = summary(rule, value, alert);
    if (alert.state == AlertState.PENDING) {
      if (!rule.breaches(value)) {
        lifecycle.clear(alert, currentNow);
        forget(rule, currentHost, item);
      } else if (!currentNow.isBefore(alert.startsAt.plus(rule.forDuration()))) {
        lifecycle.fire(alert, currentNow);
      }
    } else if (!rule.stillBreaches(value)) {
      lifecycle.resolve(alert, currentNow, "the value is back past the clear threshold " + rule.clear());
      forget(rule, currentHost, item);
    }
  }

  @Override
  public boolean adopt(Alert alert, Instant now) {
    if (!alerts.containsKey(alert.rule)) {
      return false;
    }
    ReadingRule rule = rules.stream().filter(r -> r.name().equals(alert.rule)).findFirst().orElseThrow();
    String item = rule.metric().itemLabel == null ? "" : alert.labels.getOrDefault(rule.metric().itemLabel, "");
    alerts.get(alert.rule).computeIfAbsent(alert.labels.get("host"), h -> new HashMap<>()).put(item, alert);
    return true;
  }

  private void start(ReadingRule rule, String host, String item, double value, Instant now) {
    Map<String, String> labels = item == null ? Labels.of("host", host) : Labels.of("host", host, rule.metric().itemLabel, item);
    Alert alert = lifecycle.open(rule.name(), labels, rule.severity(), now);
    alert.value = value;
    alert.summary = summary(rule, value, alert);
    alerts.get(rule.name()).computeIfAbsent(host, h -> new HashMap<>()).put(item == null ? "" : item, alert);
    if (rule.forDuration().isZero()) {
      lifecycle.fire(alert, now);
    } else {
      lifecycle.pending(alert);
    }
  }

  private void forget(ReadingRule rule, String host, String item) {
    Map<String, Alert> byItem = alerts.get(rule.name()).get(host);
    if (byItem != null) {
      byItem.remove(item == null ? "" : item);
      if (byItem.isEmpty()) {
        alerts.get(rule.name()).remove(host);
      }
    }
  }

  private static String summary(ReadingRule rule, double value, Alert alert) {
    return rule.metric().key + " " + Math.round(value * 100) / 100.0 + " " + rule.comparison().symbol + " " + rule.threshold()
      + " on " + alert.where();
  }
}
