package space.mission.alert.engine;

import space.mission.alert.rules.LogRule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bursts of matching log lines: a rule fires once {@code count} matches fall within its window and
 * resolves when the window holds fewer. Only the newest {@code count} matches are kept: enough to
 * tell whether {@code count} fell within the window, so a flood of errors costs no memory.
 */
final class LogEvaluator implements RuleEvaluator {

  private final AlertLifecycle lifecycle;
  private final List<LogRule> rules;
  /** In AWS mode a rule's lines come from a CloudWatch Logs group, which names the source; else from a local file. */
  private final boolean sourcesAreGroups;
  private final Map<String, ArrayDeque<Long>> matches = new HashMap<>();
  private final Map<String, Alert> alerts = new HashMap<>();

  LogEvaluator(AlertLifecycle lifecycle, List<LogRule> rules, boolean sourcesAreGroups) {
    this.lifecycle = lifecycle;
    this.rules = rules;
    this.sourcesAreGroups = sourcesAreGroups;
  }

  /** A line matched {@code rule}'s pattern at {@code timestampMillis} (lines may come out of order). */
  void onMatch(LogRule rule, long timestampMillis, Instant now) {
    ArrayDeque<Long> kept = matches.computeIfAbsent(rule.name(), name -> new ArrayDeque<>());
    if (kept.isEmpty() || timestampMillis >= kept.peekLast()) {
      kept.addLast(timestampMillis);
    } else {
      List<Long> sorted = new ArrayList<>(kept);
      sorted.add(timestampMillis);
      sorted.sort(Long::compare);
      kept.clear();
      kept.addAll(sorted);
    }
    while (kept.size() > rule.count()) {
      kept.pollFirst();
    }
    evaluate(rule, now);
  }

  @Override
  public void tick(Instant now) {
    for (LogRule rule : rules) {
      evaluate(rule, now);
    }
  }

  private void evaluate(LogRule rule, Instant now) {
    ArrayDeque<Long> kept = matches.computeIfAbsent(rule.name(), name -> new ArrayDeque<>());
    long oldest = now.minus(rule.window()).toEpochMilli();
    while (!kept.isEmpty() && kept.peekFirst() < oldest) {
      kept.pollFirst();
    }
    Alert alert = alerts.get(rule.name());
    int count = kept.size();
    if (alert == null && count >= rule.count()) {
      alert = lifecycle.open(rule.name(), Labels.of("source", sourcesAreGroups ? rule.group() : "data/logs/" + rule.stream()), rule.severity(), now);
      alert.value = (double) count;
      alert.summary = "at least " + count + " log lines matching " + rule.pattern().text() + " within " + rule.window().toSeconds() + " s";
      alerts.put(rule.name(), alert);
      lifecycle.fire(alert, now);
    } else if (alert != null) {
      alert.value = (double) count;
      if (count < rule.count()) {
        alert.summary = "log lines matching " + rule.pattern().text() + " are back under " + rule.count() + " in " + rule.window().toSeconds() + " s";
        lifecycle.resolve(alert, now, "fewer than " + rule.count() + " matching lines in the window");
        alerts.remove(rule.name());
      }
    }
  }

  @Override
  public boolean adopt(Alert alert, Instant now) {
    if (rules.stream().noneMatch(rule -> rule.name().equals(alert.rule))) {
      return false;
    }
    alerts.put(alert.rule, alert);
    return true;
  }
}
