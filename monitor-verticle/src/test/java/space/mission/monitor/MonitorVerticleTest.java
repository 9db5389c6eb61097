package space.mission.monitor;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.logs.LocalLogs;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.CloudWatchStandIn;
import space.mission.testkit.TestConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.testkit.Await.until;

class MonitorVerticleTest {

  Vertx vertx;
  final List<ResourceReading> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.MONITOR_READING,
      message -> received.add(ResourceReading.fromJson(message.body())));
    consumer.completion().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private String deploy(Path data, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MC_DATA_DIR", data.toString());
    env.put("MC_MONITOR_INTERVAL", "1s");
    env.put("MC_MONITOR_HOST", "ground-1");
    JsonObject config = TestConfig.load(vertx, List.of(MonitorVerticle.ROLE), env);
    return vertx.deployVerticle(new MonitorVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @Test
  @DisplayName("Local mode: readings go on the bus, as JSON lines to data/logs, and as gauges; the instance id is kept across restarts")
  void localMode(@TempDir Path data) throws Exception {
    String deployment = deploy(data, Map.of());
    until(Duration.ofSeconds(6), () -> received.size() >= 2);
    ResourceReading reading = received.get(0);
    assertThat(reading.host()).isEqualTo("ground-1");
    String instance = Files.readString(data.resolve("monitor-instance")).trim();
    assertThat(reading.instance()).isEqualTo(instance);
    assertThat(received.get(1).timestamp()).isAfter(reading.timestamp());

    Path log = LocalLogs.current(data, LocalLogs.RESOURCES);
    until(Duration.ofSeconds(3), () -> lines(log).size() >= 2);
    JsonObject line = new JsonObject(lines(log).get(0));
    assertThat(line.getString("host")).isEqualTo("ground-1");
    assertThat(line.getJsonObject("memory").getLong("totalBytes")).isPositive();

    String scrape = MissionMetrics.of(vertx).prometheus().scrape();
    assertThat(scrape).contains("mission_monitor_cpu_usage_percent{host=\"ground-1\",instance=\"" + instance + "\"}")
      .contains("mission_monitor_disk_usage_percent{host=\"ground-1\",instance=\"" + instance + "\",mount=\"/\"}")
      .contains("mission_monitor_memory_total_bytes")
      .contains("mission_monitor_sample_duration_seconds");

    vertx.undeploy(deployment).await();
    received.clear();
    deploy(data, Map.of());
    until(Duration.ofSeconds(6), () -> !received.isEmpty());
    assertThat(received.get(0).instance()).as("the same instance after a restart").isEqualTo(instance);
  }

  @Test
  @DisplayName("AWS mode: log lines reach CloudWatch Logs and metrics reach CloudWatch; with CloudWatch down, readings still reach the bus")
  void awsMode(@TempDir Path data) throws Exception {
    try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
      deploy(data, Map.of("MC_AWS_REGION", "us-east-1", "MC_AWS_ENDPOINT", cloudWatch.endpoint().toString(),
        "MC_METRICS_CLOUDWATCH_STEP", "1s", "MC_MONITOR_INSTANCE", "m-test"));
      String group = "/mission-control/resources";
      until(Duration.ofSeconds(15), () -> cloudWatch.events(group, "ground-1/m-test").size() >= 2);
      until(Duration.ofSeconds(15), () -> cloudWatch.datums().stream().anyMatch(d -> d.name().startsWith("mission.monitor.cpu.usage")));
      assertThat(cloudWatch.datums()).allSatisfy(datum -> assertThat(datum.name()).startsWith("mission."));
      JsonObject line = new JsonObject(cloudWatch.events(group, "ground-1/m-test").get(0).message());
      assertThat(line.getString("instance")).isEqualTo("m-test");

      cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
      int before = received.size();
      until(Duration.ofSeconds(5), () -> received.size() >= before + 3);
      assertThat(cloudWatch.violations()).isEmpty();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
