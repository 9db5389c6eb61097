package space.mission.alert.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.alert.rules.LogRule;
import space.mission.alert.rules.ReadingRule;
import space.mission.alert.rules.RuleSet;

/** The rules in force, as the API shows them (the dashboard draws reading thresholds from them). */
final class RulesView {

  private RulesView() {
  }

  static JsonObject of(RuleSet rules) {
    JsonArray readings = new JsonArray();
    for (ReadingRule rule : rules.readings()) {
      readings.add(new JsonObject()
        .put("name", rule.name())
        .put("metric", rule.metric().key)
        .put("comparison", rule.comparison().symbol)
        .put("threshold", rule.threshold())
        .put("clear", rule.clear())
        .put("for", rule.forDuration().toString())
        .put("severity", rule.severity().name())
        .put("hosts", rule.hosts() == null ? null : rule.hosts().pattern()));
    }
    JsonArray logs = new JsonArray();
    for (LogRule rule : rules.logs()) {
      logs.add(new JsonObject().put("name", rule.name()).put("group", rule.group()).put("window", rule.window().toString())
        .put("count", rule.count()).put("severity", rule.severity().name()));
    }
    JsonObject view = new JsonObject().put("readings", readings).put("logs", logs);
    rules.missingMonitor().ifPresent(rule -> view.put("missingMonitor", new JsonObject().put("name", rule.name())
      .put("intervals", rule.intervals()).put("severity", rule.severity().name())));
    rules.status().ifPresent(rule -> view.put("status", new JsonObject().put("name", rule.name())));
    rules.backups().ifPresent(rule -> view.put("backups", new JsonObject().put("failed", rule.failedName())
      .put("stale", rule.staleName()).put("rpo", rule.rpo() == null ? null : rule.rpo().toString())));
    return view;
  }
}
