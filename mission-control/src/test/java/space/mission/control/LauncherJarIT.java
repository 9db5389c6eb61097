package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.core.json.JsonObject;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.JarProcess;
import space.mission.testkit.TestDatabase;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, run as operators run it. */
class LauncherJarIT {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final Path LOGS = Path.of("target", "it-logs");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration SAMPLING_INTERVAL = Duration.ofSeconds(2);

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder post(int port, String path, String token, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  @Test
  @DisplayName("java -jar with nothing configured serves the API on an embedded MariaDB within 30 s, alerts on a threshold crossing "
    + "within one sampling interval, takes a verified backup that restore brings back, and SIGTERM stops it cleanly")
  void allInOne(@TempDir Path data) throws Exception {
    int port = freePort();
    String backupId;
    // a disk threshold every real disk is over: the first reading crosses it
    Path rules = Files.writeString(data.resolve("rules.yaml"),
      "readings:\n  - { name: disk-over-1, metric: disk.usage, comparison: \">\", threshold: 1, for: 0s, severity: WARNING }\n");
    Map<String, String> env = Map.of("MC_DATA_DIR", data.toString(), "MC_HTTP_PORT", String.valueOf(port),
      "MC_MONITOR_INTERVAL", SAMPLING_INTERVAL.toSeconds() + "s", "MC_ALERT_RULES_FILE", rules.toString());
    try (JarProcess jar = JarProcess.start("all-in-one", LOGS, env)) {
      Duration ready = jar.awaitHttp200("http://127.0.0.1:" + port + "/health/ready", Duration.ofSeconds(30));
      System.out.println("all-in-one ready in " + ready.toMillis() + " ms");
      String token = Files.readString(data.resolve("api-token")).trim();
      assertThat(jar.output()).contains(token);
      HttpResponse<String> created = send(post(port, "/api/v1/missions", token, "{\"name\":\"From the jar\"}"));
      assertThat(created.statusCode()).isEqualTo(201);

      // the monitor's readings: on the bus to /api/v1/system/resources, and in the local log file
      String resources = Await.value(Duration.ofSeconds(15), Duration.ofMillis(200),
        () -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/system/resources"))).body(),
        body -> body.contains("\"host\""));
      long firstReadingSeen = System.nanoTime();
      assertThat(resources).contains("\"host\"").contains("\"disks\"");
      assertThat(data.resolve("logs/resources.jsonl")).isNotEmptyFile();

      // the reading that crossed the threshold is already an alert, well before the next sample
      String alerts = Await.value(SAMPLING_INTERVAL.minusNanos(System.nanoTime() - firstReadingSeen), Duration.ofMillis(20),
        () -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/alerts"))).body(), body -> body.contains("\"FIRING\""));
      assertThat(alerts).as("firing within one sampling interval of the reading").contains("\"rule\":\"disk-over-1\"").contains("\"FIRING\"");
      System.out.println("disk alert visible " + (System.nanoTime() - firstReadingSeen) / 1_000_000 + " ms after the reading was");

      // a backup on request: verified, in data/backups
      HttpResponse<String> accepted = send(post(port, "/api/v1/backups", token, "{\"reason\":\"launcher test\"}"));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      backupId = new JsonObject(accepted.body()).getString("backupId");
      String id = backupId;
      String backup = Await.value(Duration.ofSeconds(60), Duration.ofMillis(200),
        () -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/backups/" + id))).body(),
        body -> body.contains("\"verified\":true"));
      assertThat(backup).as("the backup, verified").contains("\"state\":\"SUCCEEDED\"").contains("\"verified\":true");
      assertThat(data.resolve("backups").resolve(backupId).resolve("manifest.json")).isNotEmptyFile();

      int exit = jar.stop(Duration.ofSeconds(30));
      assertThat(exit).as(jar.tail()).isIn(0, 143);
      assertThat(jar.output()).contains("Mission Control stopped");
      boolean databaseLeft = ProcessHandle.allProcesses()
        .anyMatch(process -> process.info().commandLine().orElse("").contains(data.toString()));
      assertThat(databaseLeft).as("the embedded MariaDB stopped with the launcher").isFalse();
    }

    // restore brings it back into an empty database; a second time the target is not empty: refused unless forced
    DatabaseUrl target = TestDatabase.freshSchema("restore_target");
    try {
      Map<String, String> restoreEnv = Map.of("MC_DATA_DIR", data.toString());
      try (JarProcess restore = JarProcess.start("restore", LOGS, restoreEnv, "restore", "--backup", backupId, "--target-db", target.url())) {
        assertThat(restore.awaitExit(Duration.ofSeconds(120))).as(restore.tail()).isZero();
        assertThat(restore.output()).contains("Restored backup " + backupId);
      }
      assertThat(TestDatabase.queryStrings(target, "SELECT name FROM missions")).containsExactly("From the jar");
      try (JarProcess again = JarProcess.start("restore-again", LOGS, restoreEnv, "restore", "--backup", backupId, "--target-db", target.url())) {
        assertThat(again.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
        assertThat(again.output()).contains("is not empty");
      }
      try (JarProcess forced = JarProcess.start("restore-forced", LOGS, restoreEnv, "restore", "--backup", backupId, "--target-db", target.url(),
        "--force")) {
        assertThat(forced.awaitExit(Duration.ofSeconds(120))).as(forced.tail()).isZero();
      }
    } finally {
      TestDatabase.drop(target);
    }
  }

  @Test
  @DisplayName("Two JVMs started with --cluster share the event bus on loopback: a write on one shows in the other's rollup and wakes its long-poll")
  void twoClusteredJvms(@TempDir Path dataA, @TempDir Path dataB) throws Exception {
    String token = "cluster-token-" + UUID.randomUUID();
    int clusterPort = 21000 + (int) (Math.random() * 2000);
    Map<String, String> shared = Map.of(
      "MC_DB_URL", db.url().url(),
      "MC_API_TOKENS", token,
      "MC_CLUSTER_NAME", "it-" + UUID.randomUUID(),
      "MC_CLUSTER_MEMBERS", "127.0.0.1",
      "MC_CLUSTER_HOST", "127.0.0.1",
      "MC_CLUSTER_PORT", String.valueOf(clusterPort));
    int portA = freePort();
    int portB = freePort();
    try (JarProcess a = JarProcess.start("member-a", LOGS, with(with(shared, "MC_HTTP_PORT", portA), "MC_DATA_DIR", dataA),
           "--cluster", "--roles", "status");
         JarProcess b = JarProcess.start("member-b", LOGS, with(with(shared, "MC_HTTP_PORT", portB), "MC_DATA_DIR", dataB),
           "--cluster", "--roles", "status")) {
      a.awaitHttp200("http://127.0.0.1:" + portA + "/health/ready", Duration.ofSeconds(60));
      b.awaitHttp200("http://127.0.0.1:" + portB + "/health/ready", Duration.ofSeconds(60));
      assertThat(send(post(portA, "/api/v1/missions", token, "{\"name\":\"Shared\",\"id\":\"shared\"}")).statusCode()).isEqualTo(201);
      assertThat(send(post(portA, "/api/v1/missions/shared/updates", token,
        "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"first\"}")).statusCode()).isEqualTo(201);
      awaitMembers(a, 2);

      HttpResponse<String> rollup = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB + "/api/v1/missions/shared/status")));
      String etag = rollup.headers().firstValue("ETag").orElseThrow();
      CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portB + "/api/v1/missions/shared/status?wait=30"))
          .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
      // time must pass: the long poll has to be held on B before A writes, and nothing outside B shows that it is
      Thread.sleep(500);
      long started = System.nanoTime();
      assertThat(send(post(portA, "/api/v1/missions/shared/updates", token,
        "{\"subsystem\":\"comms\",\"level\":\"CRITICAL\",\"message\":\"from A\"}")).statusCode()).isEqualTo(201);
      HttpResponse<String> woken = held.get();
      assertThat(woken.statusCode()).isEqualTo(200);
      assertThat(woken.body()).contains("\"level\":\"CRITICAL\"");
      assertThat((System.nanoTime() - started) / 1_000_000).as("woken by the other JVM's write").isLessThan(5000);
    }
  }

  /** Hazelcast logs the member list as it changes; the long-poll test needs both members joined first. */
  private static void awaitMembers(JarProcess process, int members) throws Exception {
    Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> "the cluster reaching " + members + " members:\n" + process.tail(),
      () -> process.output().contains("Members {size:" + members));
  }

  private static Map<String, String> with(Map<String, String> base, String key, Object value) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(base);
    env.put(key, String.valueOf(value));
    return env;
  }
}
