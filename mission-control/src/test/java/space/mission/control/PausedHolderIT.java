package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.JarProcess;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.control.ClusterFailoverIT.with;
import static space.mission.control.LauncherJarIT.freePort;
import static space.mission.control.LauncherJarIT.post;
import static space.mission.control.LauncherJarIT.send;

/**
 * Real JVMs, real signals: the active alert instance is frozen (SIGSTOP) while alerts change state,
 * once for less than Hazelcast's heartbeat timeout (8 s: the lease lapses, the cluster holds) and
 * once for more (14 s: the cluster splits, then merges), then woken; each twice. Counted at the SNS side
 * (an SQS subscription of a standard topic): every state change notified, none with two dedup ids,
 * none more than twice, and no FIRING after its RESOLVED. The figures are printed for RESILIENCE.md.
 */
class PausedHolderIT {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final Path LOGS = LauncherJarIT.LOGS.resolve("paused");
  static final String TOKEN = "paused-holder-token-0123";

  @RegisterExtension
  static AlertTopicStandIns aws = new AlertTopicStandIns("paused");

  @Test
  @DisplayName("SIGSTOP of the lease holder for 8 s and for 14 s, twice each, while alerts change: each change notified, never under "
    + "two ids, no stale FIRING after its RESOLVED; the split cluster merges")
  void frozenHolder(@TempDir Path data) throws Exception {
    Path rules = Files.writeString(data.resolve("rules.yaml"), "status: { name: mission-status, enabled: true }\nlogs: []\n");
    int clusterPort = 27000 + (int) (Math.random() * 2000);
    int httpPort = freePort();
    Map<String, String> common = Map.of(
      "MC_DB_URL", db.url().url(), "MC_API_TOKENS", TOKEN, "MC_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort,
      "MC_CLUSTER_PORT", String.valueOf(clusterPort), "MC_MANAGEMENT_PORT", "0", "MC_DATA_DIR", data.toString(),
      "MC_CLUSTER_MIN_MEMBERS", "2");
    Map<String, String> alertEnv = with(common, Map.of(
      "MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", aws.cloudWatch().endpoint().toString(),
      "MC_AWS_ENDPOINTS_SNS", aws.fauxqs().endpoint().toString(), "MC_SNS_TOPIC_ARN", aws.topic(),
      "MC_ALERT_RULES_FILE", rules.toString(), "MC_ALERT_GROUP_WAIT", "0s", "MC_ALERT_TICK", "200ms"));

    try (JarProcess status = JarProcess.start("status", LOGS, with(common, Map.of("MC_HTTP_PORT", String.valueOf(httpPort))),
           "--cluster", "--roles", "status");
         JarProcess alertA = JarProcess.start("alert-a", LOGS, alertEnv, "--cluster", "--roles", "alert");
         JarProcess alertB = JarProcess.start("alert-b", LOGS, alertEnv, "--cluster", "--roles", "alert")) {
      status.awaitHttp200("http://127.0.0.1:" + httpPort + "/health/ready", Duration.ofSeconds(90));
      ProcessLogs.awaitCount(status, "Members {size:3", 1, Duration.ofSeconds(90));
      assertThat(send(post(httpPort, "/api/v1/missions", TOKEN, "{\"id\":\"frozen\",\"name\":\"Frozen\"}")).statusCode()).isEqualTo(201);
      SnsLedger ledger = aws.ledger();
      Map<String, String> figures = new LinkedHashMap<>();

      // each freeze twice, so a pass is not one lucky interleaving
      int[] pauses = {8, 14, 8, 14};
      for (int round = 0; round < pauses.length; round++) {
        int pause = pauses[round];
        String r = "r" + round + "-p" + pause + "-";
        JarProcess holder = ProcessLogs.alertHolder(db, alertA, alertB);
        record(httpPort, r + "pre", "CRITICAL");
        ledger.await(Set.of("mission-status frozen/" + r + "pre FIRING"), Duration.ofSeconds(20));
        int mergesBefore = ProcessLogs.count(status.output(), "Members {size:3");

        long frozenAt = System.nanoTime();
        holder.signal("STOP");
        record(httpPort, r + "a", "CRITICAL");
        record(httpPort, r + "b", "CRITICAL");
        record(httpPort, r + "pre", "NOMINAL");
        record(httpPort, r + "blip", "CRITICAL");
        record(httpPort, r + "blip", "NOMINAL");
        Set<String> window = Set.of("mission-status frozen/" + r + "a FIRING", "mission-status frozen/" + r + "b FIRING",
          "mission-status frozen/" + r + "pre RESOLVED", "mission-status frozen/" + r + "blip FIRING",
          "mission-status frozen/" + r + "blip RESOLVED");
        // time must pass: the pause's length is what the test is about (shorter and longer than the cluster's failure detection)
        Thread.sleep(pause * 1000L - Duration.ofNanos(System.nanoTime() - frozenAt).toMillis());
        holder.signal("CONT");
        long wokenAt = System.nanoTime();
        ledger.await(window, Duration.ofSeconds(30));
        figures.put(r + " every change in the window notified after the freeze began, in ms",
          String.valueOf(Duration.ofNanos(System.nanoTime() - frozenAt).toMillis()));
        record(httpPort, r + "a", "NOMINAL");
        ledger.await(Set.of("mission-status frozen/" + r + "a RESOLVED"), Duration.ofSeconds(20));
        ProcessLogs.awaitCount(status, "Members {size:3", mergesBefore + (pause > 10 ? 1 : 0), Duration.ofSeconds(60));
        if (pause > 10) {
          figures.put(r + " cluster whole again after the wake-up, in ms", String.valueOf(Duration.ofNanos(System.nanoTime() - wokenAt).toMillis()));
        }
        assertThat(holder.handle().isAlive()).as("the woken instance runs on, as a standby").isTrue();
      }

      // anything sent twice, or late by the woken instance, has arrived by now
      ledger.drain(Duration.ofSeconds(5));
      figures.putAll(ledger.verify());
      System.out.println("PausedHolderIT figures: " + figures);
    }
  }

  private static void record(int port, String subsystem, String level) throws Exception {
    HttpResponse<String> response = send(post(port, "/api/v1/missions/frozen/updates", TOKEN,
      "{\"subsystem\":\"" + subsystem + "\",\"level\":\"" + level + "\",\"message\":\"pause test\"}"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }
}
