import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import space.mission.runtime.MissionVertx;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.cluster.ClusterSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Breach-to-notification latency (bench/alert/run.sh starts the other parts). This JVM joins the
 * cluster as a monitor would and publishes, one at a time, readings whose disk is over the rule's
 * threshold, each from a new host (so each is a new alert); the alert JVM evaluates it, commits the
 * alert and its outbox row, and publishes to SNS. The timing emulator records when each Publish
 * request arrives. Latency = arrival - the moment this JVM published the reading (same machine, same
 * wall clock). Run with the launcher jar on the classpath: java -cp mission-control.jar BreachLatency.java
 */
public class BreachLatency {

  public static void main(String[] args) throws Exception {
    String clusterName = System.getenv("BENCH_CLUSTER_NAME");
    int clusterPort = Integer.parseInt(System.getenv("BENCH_CLUSTER_PORT"));
    String sink = System.getenv("BENCH_SINK");
    int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_ALERTS", "100"));
    int count = Integer.parseInt(System.getenv().getOrDefault("BENCH_ALERTS", "1000"));
    long spacingMillis = Long.parseLong(System.getenv().getOrDefault("BENCH_SPACING_MS", "20"));

    ClusterSettings cluster = new ClusterSettings(true, clusterName, List.of("127.0.0.1:" + clusterPort), clusterPort,
      Optional.of("127.0.0.1"), Optional.empty());
    Vertx vertx = MissionVertx.start(cluster).await();
    HttpClient http = HttpClient.newHttpClient();
    try {
      // the alert JVM hears us once the cluster has told it about this member's bus address
      long deadline = System.nanoTime() + 60_000_000_000L;
      for (int i = 0; arrivals(http, sink).keySet().stream().noneMatch(host -> host.startsWith("probe-")); i++) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no notification reached the emulator within 60 s");
        }
        vertx.eventBus().publish(Addresses.MONITOR_READING, reading("probe-" + i).toJson());
        Thread.sleep(500);
      }

      Map<String, Double> sent = new LinkedHashMap<>();
      for (int i = 0; i < warmup + count; i++) {
        String host = (i < warmup ? "warm-" : "bench-") + i;
        JsonObject reading = reading(host).toJson();
        Instant now = Instant.now();
        vertx.eventBus().publish(Addresses.MONITOR_READING, reading);
        if (i >= warmup) {
          sent.put(host, now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0);
        }
        Thread.sleep(spacingMillis);
      }

      Map<String, Double> arrived = Map.of();
      for (long until = System.nanoTime() + 30_000_000_000L; System.nanoTime() < until; Thread.sleep(200)) {
        arrived = arrivals(http, sink);
        if (arrived.keySet().containsAll(sent.keySet())) {
          break;
        }
      }
      List<Double> latencies = new ArrayList<>();
      int missing = 0;
      for (Map.Entry<String, Double> entry : sent.entrySet()) {
        Double at = arrived.get(entry.getKey());
        if (at == null) {
          missing++;
        } else {
          latencies.add(at - entry.getValue());
        }
      }
      Collections.sort(latencies);
      System.out.printf("| alerts measured (after %d warm-up), one every %d ms | %d (%d never arrived) |%n", warmup, spacingMillis,
        latencies.size(), missing);
      System.out.printf("| breach → SNS Publish: p50 / p90 / p99 / max | %.1f / %.1f / %.1f / %.1f ms |%n",
        quantile(latencies, 0.50), quantile(latencies, 0.90), quantile(latencies, 0.99), latencies.get(latencies.size() - 1));
    } finally {
      vertx.close().await();
    }
  }

  private static ResourceReading reading(String host) {
    return new ResourceReading(host, "bench", Instant.now(), new ResourceReading.Cpu(10, List.of(10.0, 10.0)),
      new ResourceReading.Load(0.1, 0.1, 0.1), new ResourceReading.Memory(1L << 30, 8L << 30), new ResourceReading.Memory(0, 1L << 30),
      List.of(new ResourceReading.Disk("/data", "ext4", 95, 100, 10, 1000)), List.of(), 100, 1000, 5);
  }

  private static Map<String, Double> arrivals(HttpClient http, String sink) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(sink + "/_bench/arrivals")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> arrivals = new LinkedHashMap<>();
    new JsonObject(body).forEach(entry -> arrivals.put(entry.getKey(), ((Number) entry.getValue()).doubleValue()));
    return arrivals;
  }

  private static double quantile(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
