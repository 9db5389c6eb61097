package space.mission.alert.rules;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.common.bus.Severity;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;
import space.mission.runtime.logs.FilterPattern;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the rules section ({@code alert.rules}, or the file named by {@code alert.rules.file}). A
 * rule that cannot be used stops the start with one line naming the rule and the field, e.g.
 * {@code alert rule "cpu-high", field threshold: expected a number, got "ninety"}.
 */
public final class RuleParser {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private RuleParser() {
  }

  /**
   * The rules in force: those in the YAML file when one is named (it replaces the configured lists),
   * else the configured ones. Reads the file, so call it off the event loop.
   */
  public static RuleSet read(Optional<Path> file, JsonObject configured) {
    if (file.isEmpty()) {
      return parse(configured);
    }
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file.get()));
    } catch (Exception e) {
      throw new ConfigException("config alert.rules.file (" + EnvOverrides.envName("alert.rules.file") + "): expected a readable YAML file, got "
        + file.get() + " (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ") + ")");
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ConfigException("config alert.rules.file (" + EnvOverrides.envName("alert.rules.file") + "): expected a YAML mapping of "
        + "readings, missingMonitor, logs, status, backupFailed and backupStale, got " + (tree == null ? "an empty file" : tree instanceof List ? "a list" : "a single value"));
    }
    return parse(new JsonObject(Json.encode(map)));
  }

  public static RuleSet parse(JsonObject rules) {
    Set<String> names = new HashSet<>();
    List<ReadingRule> readings = new ArrayList<>();
    for (JsonObject rule : objects(rules, "readings")) {
      readings.add(reading(rule, names));
    }
    Optional<MissingMonitorRule> missing = Optional.ofNullable(rules.getJsonObject("missingMonitor")).map(rule -> missing(rule, names));
    List<LogRule> logs = new ArrayList<>();
    for (JsonObject rule : objects(rules, "logs")) {
      logs.add(log(rule, names));
    }
    Optional<StatusRule> status = Optional.ofNullable(rules.getJsonObject("status")).filter(rule -> rule.getBoolean("enabled", true))
      .map(rule -> new StatusRule(name(rule, names)));
    return new RuleSet(readings, missing, logs, status, backups(rules.getJsonObject("backupFailed"), rules.getJsonObject("backupStale"), names));
  }

  private static ReadingRule reading(JsonObject rule, Set<String> names) {
    String name = name(rule, names);
    String metricKey = string(rule, name, "metric");
    Metric metric = Metric.of(metricKey);
    if (metric == null) {
      throw invalid(name, "metric", "one of " + Metric.keys(), metricKey);
    }
    String symbol = string(rule, name, "comparison");
    Comparison comparison = Comparison.of(symbol);
    if (comparison == null) {
      throw invalid(name, "comparison", "one of >, >=, <, <=", symbol);
    }
    double threshold = number(rule, name, "threshold");
    double clear = rule.containsKey("clear") ? number(rule, name, "clear") : threshold;
    boolean above = comparison == Comparison.ABOVE || comparison == Comparison.AT_LEAST;
    if (above ? clear > threshold : clear < threshold) {
      throw invalid(name, "clear", "a value " + (above ? "at or below" : "at or above") + " the threshold " + threshold + " (hysteresis)", clear);
    }
    Pattern hosts = null;
    if (rule.getValue("host") != null) {
      String host = string(rule, name, "host");
      try {
        hosts = Pattern.compile(host);
      } catch (PatternSyntaxException e) {
        throw invalid(name, "host", "a regular expression", host);
      }
    }
    return new ReadingRule(name, metric, comparison, threshold, clear, duration(rule, name, "for", Duration.ZERO),
      severity(rule, name), hosts);
  }

  private static Optional<BackupRule> backups(JsonObject failed, JsonObject stale, Set<String> names) {
    boolean watchFailures = failed != null && failed.getBoolean("enabled", true);
    boolean watchAge = stale != null && stale.getBoolean("enabled", true);
    if (!watchFailures && !watchAge) {
      return Optional.empty();
    }
    String failedName = watchFailures ? name(failed, names) : null;
    String staleName = watchAge ? name(stale, names) : null;
    Duration rpo = watchAge ? duration(stale, staleName, "rpo", null) : null;
    if (watchAge && rpo.compareTo(Duration.ofMinutes(1)) < 0) {
      throw invalid(staleName, "rpo", "a duration of at least 1m", stale.getValue("rpo"));
    }
    return Optional.of(new BackupRule(failedName, watchFailures ? severity(failed, failedName) : null, staleName, rpo,
      watchAge ? severity(stale, staleName) : null));
  }

  private static MissingMonitorRule missing(JsonObject rule, Set<String> names) {
    String name = name(rule, names);
    int intervals = (int) whole(rule, name, "intervals", 1, 1000);
    return new MissingMonitorRule(name, intervals, severity(rule, name), duration(rule, name, "forgetAfter", Duration.ofHours(24)),
      (int) whole(rule, name, "defaultIntervalSeconds", 1, 86_400));
  }

  private static LogRule log(JsonObject rule, Set<String> names) {
    String name = name(rule, names);
    String text = rule.getValue("pattern") == null ? "" : string(rule, name, "pattern");
    FilterPattern pattern;
    try {
      pattern = FilterPattern.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(name, "pattern", "a CloudWatch Logs filter pattern of the supported forms (terms, ?terms, { $.field = value })", text);
    }
    String stream = string(rule, name, "stream");
    if (!stream.matches("[A-Za-z0-9._-]+")) {
      throw invalid(name, "stream", "a local log stream name (letters, digits, '.', '_', '-')", stream);
    }
    Duration window = duration(rule, name, "window", null);
    if (window.isZero()) {
      throw invalid(name, "window", "a duration above zero", "0s");
    }
    return new LogRule(name, string(rule, name, "group"), stream, pattern, window, (int) whole(rule, name, "count", 1, 1_000_000),
      severity(rule, name));
  }

  private static String name(JsonObject rule, Set<String> names) {
    Object value = rule.getValue("name");
    if (!(value instanceof String name) || !NAME.matcher(name).matches()) {
      throw new ConfigException("alert rule " + (value == null ? "without a name" : "\"" + value + "\"")
        + ", field name: expected a lowercase slug (letters, digits, inner hyphens), got " + describe(value));
    }
    if (!names.add(name)) {
      throw new ConfigException("alert rule \"" + name + "\", field name: expected a unique name, got a second rule called \"" + name + "\"");
    }
    return name;
  }

  private static String string(JsonObject rule, String name, String field) {
    Object value = rule.getValue(field);
    if (value instanceof String text && !text.isBlank()) {
      return text;
    }
    throw invalid(name, field, "a non-empty string", value);
  }

  private static double number(JsonObject rule, String name, String field) {
    Object value = rule.getValue(field);
    if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
      return number.doubleValue();
    }
    throw invalid(name, field, "a number", value);
  }

  private static long whole(JsonObject rule, String name, String field, long min, long max) {
    Object value = rule.getValue(field);
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
      && number.longValue() >= min && number.longValue() <= max) {
      return number.longValue();
    }
    throw invalid(name, field, "a whole number from " + min + " to " + max, value);
  }

  private static Severity severity(JsonObject rule, String name) {
    Object value = rule.getValue("severity");
    if (value instanceof String text) {
      for (Severity severity : Severity.values()) {
        if (severity.name().equalsIgnoreCase(text)) {
          return severity;
        }
      }
    }
    throw invalid(name, "severity", "one of " + Arrays.toString(Severity.values()), value);
  }

  private static Duration duration(JsonObject rule, String name, String field, Duration fallback) {
    Object value = rule.getValue(field);
    if (value == null && fallback != null) {
      return fallback;
    }
    // a rule's duration is never negative (nor NaN); config's reading accepts any number, so those are ruled out here
    Duration parsed = value instanceof Number number && !(number.doubleValue() >= 0) ? null : ConfigReader.parseDuration(value);
    if (parsed != null) {
      return parsed;
    }
    throw invalid(name, field, "a duration such as 30s, 1m or 2h", value);
  }

  private static List<JsonObject> objects(JsonObject rules, String field) {
    Object value = rules.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException("alert rules, field " + field + ": expected a list of rules, got " + describe(value));
    }
    List<JsonObject> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject object)) {
        throw new ConfigException("alert rules, field " + field + ": expected a list of rules, got an item " + describe(item));
      }
      items.add(object);
    }
    return items;
  }

  private static ConfigException invalid(String rule, String field, String expected, Object actual) {
    return new ConfigException("alert rule \"" + rule + "\", field " + field + ": expected " + expected + ", got " + describe(actual));
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
