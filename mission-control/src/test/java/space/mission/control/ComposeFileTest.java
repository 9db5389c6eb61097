package space.mission.control;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;
import space.mission.testkit.Infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose files as docker-compose itself resolves them (defaults filled in, the override merged),
 * checked against what the launcher needs: no Docker engine is required for any of this.
 */
class ComposeFileTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** Scaled with --scale: a fixed container name or host port would make the second copy fail. */
  static final List<String> SCALED = List.of("status", "monitor");
  static final Map<String, String> AWS_ENV = Map.of("MC_AWS_REGION", "eu-west-1", "MC_DB_URL", "mysql://mission:secret@db.example:3306/mission",
    "MC_API_TOKENS", "prod-token-0123456789abcdef", "MC_SNS_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:mission-alerts",
    "MC_BACKUP_BUCKET", "mission-backups-prod", "MC_PUBLIC_URL", "https://mission.example");

  @Test
  @DisplayName("Locally: every role is a service whose environment starts it (config valid, no unknown MC_ keys), waiting for healthy "
    + "MySQL and LocalStack; health checks everywhere; scaled services have no fixed names or host ports; one public port")
  void local() throws Exception {
    Map<String, Object> services = services(resolve(Map.of()));

    for (Role role : Role.values()) {
      assertThat(services).as("a service per role").containsKey(role.id);
      Map<String, Object> service = map(services.get(role.id));
      Map<String, String> env = env(service);
      assertThat(env).containsEntry("MC_ROLES", role.id).containsEntry("MC_CLUSTER_ENABLED", "true");
      assertRoleStarts(role, env);
      Map<String, Object> dependsOn = map(service.get("depends_on"));
      List<String> needs = role.needsDatabase ? List.of("mysql", "localstack") : List.of("localstack");
      for (String dependency : needs) {
        assertThat(map(dependsOn.get(dependency))).as(role.id + " waits for " + dependency).containsEntry("condition", "service_healthy");
      }
      assertThat(env.get("MC_AWS_ENDPOINT")).isEqualTo("http://localstack:4566");
    }
    for (String name : List.of("mysql", "localstack", "gateway")) {
      assertThat(map(services.get(name))).as(name + " has a health check").containsKey("healthcheck");
    }
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).as("the roles' health check is the image's").contains("HEALTHCHECK");
    services.forEach((name, service) -> assertThat(map(service)).as(name).doesNotContainKey("container_name"));
    for (String name : SCALED) {
      assertThat(map(services.get(name))).as(name + " scales").doesNotContainKey("ports");
    }
    assertThat(services.entrySet().stream().filter(entry -> map(entry.getValue()).containsKey("ports")).map(Map.Entry::getKey))
      .as("the one service on a host port").containsExactly("gateway");
    assertThat(map(map(services.get("gateway")).get("depends_on")).get("status")).isNotNull();
    assertThat(env(map(services.get("status")))).as("behind the gateway every client shares its address: no per-address cap")
      .containsEntry("MC_HTTP_MAX_CONNECTIONS_PER_CLIENT", "0");
  }

  @Test
  @DisplayName("On AWS: no MySQL or LocalStack started or waited for, real endpoints, RDS, every container's log to CloudWatch Logs")
  void aws() throws Exception {
    Map<String, Object> services = services(resolve(AWS_ENV, "-f", "docker-compose.yml", "-f", "docker-compose.aws.yml"));

    assertThat(map(services.get("mysql")).get("profiles")).as("MySQL does not start").isNotNull();
    assertThat(map(services.get("localstack")).get("profiles")).as("LocalStack does not start").isNotNull();
    for (Role role : Role.values()) {
      Map<String, Object> service = map(services.get(role.id));
      Map<String, String> env = env(service);
      assertThat(env).containsEntry("MC_DB_URL", AWS_ENV.get("MC_DB_URL")).containsEntry("MC_AWS_REGION", "eu-west-1");
      assertThat(env.getOrDefault("MC_AWS_ENDPOINT", "")).as("real AWS endpoints").isEmpty();
      assertThat(service.get("depends_on")).as(role.id + " waits for nothing local").isNull();
      assertThat(map(service.get("logging"))).containsEntry("driver", "awslogs");
      assertRoleStarts(role, env);
    }
  }

  @Test
  @DisplayName("The AWS override refuses to resolve without the settings production needs")
  void awsNeedsItsSettings() throws Exception {
    Map<String, String> missing = new HashMap<>(AWS_ENV);
    missing.remove("MC_DB_URL");
    Result result = run(missing, "-f", "docker-compose.yml", "-f", "docker-compose.aws.yml", "config", "-q");
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("MC_DB_URL");
  }

  /** The launcher's own checks on the container's environment: the same that fail a start with one line. */
  private static void assertRoleStarts(Role role, Map<String, String> env) {
    JsonObject config = MissionControl.loadConfig(env);
    assertThat(EnvOverrides.unknown(config, env.keySet())).as(role.id + ": MC_ variables that are no configuration key").isEmpty();
    MissionControl.checkLogFormat(env);
    role.validate.accept(new ConfigReader(config));
    assertThat(new ConfigReader(config).strings("roles")).containsExactly(role.id);
  }

  private static String resolve(Map<String, String> env, String... files) throws Exception {
    String[] args = Arrays.copyOf(files, files.length + 1);
    args[files.length] = "config";
    Result result = run(env, args);
    assertThat(result.exit()).as(result.output()).isZero();
    return result.output();
  }

  private record Result(int exit, String output) {
  }

  private static Result run(Map<String, String> env, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "docker-compose";
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("MC_"));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      Infra.missing("docker-compose (Debian's package) to resolve the compose files", e.getMessage());
      throw e;
    }
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static Map<String, Object> services(String yaml) {
    Map<String, Object> root = new Yaml().load(yaml);
    return map(root.get("services"));
  }

  private static Map<String, String> env(Map<String, Object> service) {
    Map<String, String> env = new HashMap<>();
    map(service.get("environment")).forEach((key, value) -> env.put(key, value == null ? "" : String.valueOf(value)));
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }
}
