package space.mission.alert.rules;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleParserTest {

  static final String VALID = "{\"name\": \"cpu-high\", \"metric\": \"cpu.usage\", \"comparison\": \">\", \"threshold\": 90, \"clear\": 80, "
    + "\"for\": \"1m\", \"severity\": \"CRITICAL\"}";

  @Test
  @DisplayName("A valid reading rule is read with its for duration, clear threshold and severity")
  void valid() {
    RuleSet rules = RuleParser.parse(new JsonObject("{\"readings\": [" + VALID + "]}"));
    ReadingRule rule = rules.readings().get(0);
    assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(rule.breaches(91)).isTrue();
    assertThat(rule.stillBreaches(85)).isTrue();
    assertThat(rule.stillBreaches(80)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "threshold      | ninety                | alert rule \"cpu-high\", field threshold: expected a number, got \"ninety\"",
    "metric         | cpu.temperature       | alert rule \"cpu-high\", field metric: expected one of",
    "comparison     | >>                    | alert rule \"cpu-high\", field comparison: expected one of >, >=, <, <=",
    "for            | a while               | alert rule \"cpu-high\", field for: expected a duration",
    "severity       | LOUD                  | alert rule \"cpu-high\", field severity: expected one of [INFO, WARNING, CRITICAL]",
    "clear          | 95                    | alert rule \"cpu-high\", field clear: expected a value at or below the threshold",
    "host           | ([                    | alert rule \"cpu-high\", field host: expected a regular expression"})
  @DisplayName("An invalid rule fails with a message naming the rule and the field")
  void invalid(String field, String value, String message) {
    JsonObject rule = new JsonObject(VALID);
    rule.put(field, field.equals("clear") ? (Object) Double.parseDouble(value) : value);
    assertThatThrownBy(() -> RuleParser.parse(new JsonObject().put("readings", new io.vertx.core.json.JsonArray().add(rule))))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  @DisplayName("Names must be slugs and unique; log patterns must be of a supported form")
  void namesAndPatterns() {
    assertThatThrownBy(() -> RuleParser.parse(new JsonObject("{\"readings\": [" + VALID + ", " + VALID + "]}")))
      .hasMessageContaining("unique");
    assertThatThrownBy(() -> RuleParser.parse(new JsonObject("{\"readings\": [{\"name\": \"CPU High\"}]}")))
      .hasMessageContaining("field name");
    assertThatThrownBy(() -> RuleParser.parse(new JsonObject("{\"logs\": [{\"name\": \"e\", \"group\": \"/g\", \"stream\": \"app\", "
      + "\"pattern\": \"{ $.level > 3 }\", \"window\": \"1m\", \"count\": 1, \"severity\": \"WARNING\"}]}")))
      .hasMessageStartingWith("alert rule \"e\", field pattern");
  }

  @Test
  @DisplayName("A rules file replaces the configured lists; an unreadable or non-mapping file fails the start naming the key and the file")
  void rulesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, """
      readings:
        - { name: disk-any, metric: disk.usage, comparison: ">", threshold: 0, for: 0s, severity: INFO }
      """);
    JsonObject configured = new JsonObject("{\"readings\": [" + VALID + "]}");
    assertThat(RuleParser.read(Optional.of(file), configured).readings()).extracting(ReadingRule::name).containsExactly("disk-any");
    assertThat(RuleParser.read(Optional.empty(), configured).readings()).extracting(ReadingRule::name).containsExactly("cpu-high");

    assertThatThrownBy(() -> RuleParser.read(Optional.of(dir.resolve("absent.yaml")), configured)).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("config alert.rules.file (MC_ALERT_RULES_FILE): expected a readable YAML file, got " + dir.resolve("absent.yaml"));
    Files.writeString(file, "- just a list\n");
    assertThatThrownBy(() -> RuleParser.read(Optional.of(file), configured)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("expected a YAML mapping of readings, missingMonitor, logs, status, backupFailed and backupStale, got a list");
  }
}
