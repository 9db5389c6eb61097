package space.mission.common.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  private static JsonObject load(Map<String, String> env) {
    return ConfigLoader.load(vertx, List.of("testrole", "absent-role"), env).await();
  }

  @Test
  @DisplayName("The shared defaults and a role's defaults merge into one tree; a role file may override shared keys")
  void defaultsMerge() {
    JsonObject config = load(Map.of());
    ConfigReader reader = new ConfigReader(config);
    assertThat(reader.string("data.dir")).isEqualTo("./data");
    assertThat(reader.optionalString("db.url")).isEmpty();
    assertThat(reader.duration("testrole.interval", Duration.ofSeconds(1), Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
    assertThat(reader.integer("http.port", 1, 65535)).isEqualTo(9999);
    assertThat(reader.strings("cluster.members")).containsExactly("127.0.0.1");
  }

  @Test
  @DisplayName("MC_* variables override leaves of every type, parsed by the type of the default")
  void environmentOverrides() {
    JsonObject config = load(Map.of(
      "MC_HTTP_PORT", "8181",
      "MC_DB_URL", "mysql://mc:secret@db:3306/mission",
      "MC_TESTROLE_THRESHOLD", "0.5",
      "MC_TESTROLE_NAMES", "x, y ,,z",
      "MC_TESTROLE_ENABLED", "FALSE",
      "MC_API_TOKENS", "t1,t2",
      "MC_CLUSTER_HOST", ""));
    ConfigReader reader = new ConfigReader(config);
    assertThat(reader.integer("http.port", 1, 65535)).isEqualTo(8181);
    assertThat(reader.string("db.url")).isEqualTo("mysql://mc:secret@db:3306/mission");
    assertThat(reader.number("testrole.threshold", 0, 1)).isEqualTo(0.5);
    assertThat(config.getJsonObject("testrole").getJsonArray("names")).isEqualTo(new JsonArray().add("x").add("y").add("z"));
    assertThat(reader.bool("testrole.enabled")).isFalse();
    assertThat(reader.strings("api.tokens")).containsExactly("t1", "t2");
    assertThat(reader.optionalString("cluster.host")).as("an empty variable counts as unset").isEmpty();
  }

  @Test
  @DisplayName("A variable that does not parse fails the load with one line naming the key, the variable and the value")
  void badEnvironmentValue() {
    assertThatThrownBy(() -> load(Map.of("MC_HTTP_PORT", "eighty")))
      .isInstanceOf(ConfigException.class)
      .hasMessage("config http.port (MC_HTTP_PORT): expected a whole number, got \"eighty\"");
    assertThatThrownBy(() -> load(Map.of("MC_TESTROLE_ENABLED", "yes")))
      .hasMessage("config testrole.enabled (MC_TESTROLE_ENABLED): expected true or false, got \"yes\"");
  }

  @Test
  @DisplayName("A value out of range is reported by the reader with the key, the variable and the accepted range")
  void outOfRange() {
    ConfigReader reader = new ConfigReader(load(Map.of("MC_HTTP_PORT", "70000")));
    assertThatThrownBy(() -> reader.integer("http.port", 1, 65535))
      .hasMessage("config http.port (MC_HTTP_PORT): expected a whole number from 1 to 65535, got 70000");
    ConfigReader durations = new ConfigReader(load(Map.of("MC_TESTROLE_INTERVAL", "5 parsecs")));
    assertThatThrownBy(() -> durations.duration("testrole.interval", Duration.ofSeconds(1), Duration.ofHours(1)))
      .hasMessageStartingWith("config testrole.interval (MC_TESTROLE_INTERVAL): expected a duration from 1s to 1h");
  }

  @Test
  @DisplayName("An operator file named by MC_CONFIG_FILE is applied before the environment")
  void operatorFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ops.yaml");
    Files.writeString(file, "http:\n  port: 7000\ndata:\n  dir: /srv/mc\n");
    ConfigReader reader = new ConfigReader(load(Map.of("MC_CONFIG_FILE", file.toString(), "MC_HTTP_PORT", "7001")));
    assertThat(reader.string("data.dir")).isEqualTo("/srv/mc");
    assertThat(reader.integer("http.port", 1, 65535)).isEqualTo(7001);
  }

  @Test
  @DisplayName("A broken operator file fails the load with one line")
  void brokenOperatorFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ops.yaml");
    Files.writeString(file, "http: [unclosed\n");
    assertThatThrownBy(() -> load(Map.of("MC_CONFIG_FILE", file.toString())))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("configuration could not be read")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @DisplayName("Variable names derive from paths: camelCase becomes UPPER_SNAKE")
  void envNames() {
    assertThat(EnvOverrides.envName("http.port")).isEqualTo("MC_HTTP_PORT");
    assertThat(EnvOverrides.envName("status.rollup.staleTolerance")).isEqualTo("MC_STATUS_ROLLUP_STALE_TOLERANCE");
    assertThat(EnvOverrides.envName("sns.topicArn")).isEqualTo("MC_SNS_TOPIC_ARN");
    assertThat(EnvOverrides.keys(load(Map.of()))).containsEntry("MC_DB_URL", "db.url").containsEntry("MC_DATA_DIR", "data.dir");
  }
}
