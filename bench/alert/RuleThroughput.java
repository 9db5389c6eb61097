import io.micrometer.core.instrument.Counter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import space.mission.alert.AlertVerticle;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.rules.RuleParser;
import space.mission.alert.rules.RuleSet;
import space.mission.runtime.MissionVertx;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.cluster.ClusterSettings;
import space.mission.common.config.ConfigLoader;
import space.mission.runtime.metrics.MissionMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Rule evaluation throughput with 100 reading rules (bench/alert/run.sh). Two figures:
 * <ul>
 *   <li>the engine alone: {@code onReading} + {@code drain} over prepared readings, on this thread;</li>
 *   <li>one deployed alert verticle: readings published on the (local) event bus as the JSON the
 *       monitor sends, decoded and evaluated on the verticle's event loop, counted by its
 *       {@code mission.alert.readings} counter. At most 10,000 are in flight, so the queue stays bounded.</li>
 * </ul>
 * The readings come from 50 hosts with 4 cores, 3 disks and 2 interfaces each, all under every
 * threshold (the steady state: evaluation, no state changes). Needs BENCH_DB_URL (a schema it may use).
 */
public class RuleThroughput {

  private static final String[] METRICS = {"cpu.usage", "cpu.core.usage", "load.1m", "load.5m", "load.15m", "memory.usage",
    "swap.usage", "disk.usage", "disk.inodes.usage", "network.in", "network.out", "processes"};

  public static void main(String[] args) throws Exception {
    int total = Integer.parseInt(System.getenv().getOrDefault("BENCH_READINGS", "2000000"));
    Path dir = Files.createTempDirectory("rule-throughput");
    Path rulesFile = dir.resolve("rules.yaml");
    Files.writeString(rulesFile, rules(100));
    List<ResourceReading> readings = readings(50);

    RuleSet rules = RuleParser.read(Optional.of(rulesFile), new JsonObject());
    AlertEngine engine = new AlertEngine(rules, Clock.systemUTC(), Duration.ZERO, Duration.ofHours(4), false);
    for (int i = 0; i < total / 4; i++) {
      engine.onReading(readings.get(i % readings.size()));
      engine.drain();
    }
    long started = System.nanoTime();
    for (int i = 0; i < total; i++) {
      engine.onReading(readings.get(i % readings.size()));
      engine.drain();
    }
    double engineRate = total / ((System.nanoTime() - started) / 1e9);

    Vertx vertx = MissionVertx.start(new ClusterSettings(false, "bench", List.of(), 5701, Optional.empty(), Optional.empty())).await();
    try {
      JsonObject config = ConfigLoader.load(vertx, List.of(AlertVerticle.ROLE), Map.of("MC_DB_URL", System.getenv("BENCH_DB_URL"),
        "MC_DATA_DIR", dir.resolve("data").toString(), "MC_ALERT_RULES_FILE", rulesFile.toString())).await();
      vertx.deployVerticle(new AlertVerticle(), new DeploymentOptions().setConfig(config)).await();
      Counter evaluated = MissionMetrics.of(vertx).registry().get("mission.alert.readings").counter();
      List<JsonObject> messages = readings.stream().map(ResourceReading::toJson).toList();
      publish(vertx, messages, evaluated, total / 4);
      double before = evaluated.count();
      started = System.nanoTime();
      publish(vertx, messages, evaluated, total);
      double verticleRate = (evaluated.count() - before) / ((System.nanoTime() - started) / 1e9);

      System.out.printf("| rules | 100 reading rules over %d metrics, readings from 50 hosts (4 cores, 3 disks, 2 interfaces) |%n",
        METRICS.length);
      System.out.printf("| engine alone (one thread) | %,.0f readings/s |%n", engineRate);
      System.out.printf("| one alert verticle (bus delivery + JSON decode + rules) | %,.0f readings/s |%n", verticleRate);
    } finally {
      vertx.close().await();
    }
  }

  /** Publishes {@code count} readings, keeping at most 10,000 not yet evaluated; returns once all are. */
  private static void publish(Vertx vertx, List<JsonObject> messages, Counter evaluated, int count) {
    double base = evaluated.count();
    for (int i = 0; i < count; i++) {
      while (i - (evaluated.count() - base) > 10_000) {
        LockSupport.parkNanos(50_000);
      }
      vertx.eventBus().publish(Addresses.MONITOR_READING, messages.get(i % messages.size()));
    }
    while (evaluated.count() - base < count) {
      LockSupport.parkNanos(50_000);
    }
  }

  /** {@code n} rules cycling through the metrics, thresholds no reading reaches, some limited to a host pattern. */
  private static String rules(int n) {
    StringBuilder yaml = new StringBuilder("readings:\n");
    for (int i = 0; i < n; i++) {
      String metric = METRICS[i % METRICS.length];
      double threshold = switch (metric) {
        case "network.in", "network.out" -> 1e12;
        case "processes" -> 1e6;
        case "load.1m", "load.5m", "load.15m" -> 500 + i;
        default -> 90 + (i % 10);
      };
      yaml.append("  - { name: rule-").append(i).append(", metric: ").append(metric).append(", comparison: \">\", threshold: ")
        .append(threshold).append(", for: ").append(i % 3 == 0 ? "0s" : "1m").append(", severity: WARNING")
        .append(i % 5 == 0 ? ", host: \"ground-[0-9]+\"" : "").append(" }\n");
    }
    return yaml.toString();
  }

  private static List<ResourceReading> readings(int hosts) {
    List<ResourceReading> readings = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      for (int sample = 0; sample < 20; sample++) {
        double cpu = 20 + (h + sample) % 30;
        readings.add(new ResourceReading("ground-" + h, "i-" + h, Instant.now(), new ResourceReading.Cpu(cpu, List.of(cpu, cpu + 1, cpu - 1, cpu)),
          new ResourceReading.Load(1.5, 1.2, 1.0), new ResourceReading.Memory(6L << 30, 16L << 30), new ResourceReading.Memory(0, 2L << 30),
          List.of(new ResourceReading.Disk("/", "ext4", 40L << 30, 100L << 30, 1000, 100000),
            new ResourceReading.Disk("/data", "xfs", 300L << 30, 1000L << 30, 5000, 1000000),
            new ResourceReading.Disk("/var/log", "ext4", 2L << 30, 10L << 30, 100, 10000)),
          List.of(new ResourceReading.Network("eth0", 1e6, 2e5, 1000, 500), new ResourceReading.Network("eth1", 5e4, 1e4, 100, 50)),
          300, 86400, 5));
      }
    }
    return readings;
  }
}
