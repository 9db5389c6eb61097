package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.JarProcess;
import space.mission.testkit.NamespaceHost;
import space.mission.testkit.TcpRelay;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.control.ClusterFailoverIT.with;
import static space.mission.control.LauncherJarIT.freePort;
import static space.mission.control.LauncherJarIT.post;
import static space.mission.control.LauncherJarIT.send;
import static space.mission.control.ProcessLogs.awaitCount;
import static space.mission.control.ProcessLogs.count;

/**
 * Kill the active alert instance while the cluster is split, with a real partition. Five JVMs: a
 * status, a monitor and two alert instances in this namespace, and a third alert instance on a
 * {@link NamespaceHost} of its own, cut off from the cluster by iptables but still reaching the
 * database and SNS (through relays): the member that can win the database lease but hears nothing.
 * With {@code MC_CLUSTER_MIN_MEMBERS=3}, the cut-off member must not take the lease when the active
 * one dies; the standby on the majority side takes over and notifies every change in the window,
 * blips included; after healing, the cut-off member merges back and stays a standby. Twice, so a
 * pass is not one lucky interleaving. Counted at the SNS side; figures printed for RESILIENCE.md.
 */
class PartitionedActiveIT {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final Path LOGS = LauncherJarIT.LOGS.resolve("partitioned");
  static final String TOKEN = "partitioned-active-token";
  static final int ROUNDS = 2;

  @RegisterExtension
  static AlertTopicStandIns aws = new AlertTopicStandIns("partitioned");

  @Test
  @DisplayName("the active alert instance killed while a third is cut off from the cluster (not from the database): the cut-off one "
    + "never takes the lease, the majority's standby notifies every change once, the cut-off one merges back as a standby; twice")
  void killActiveWhileSplit(@TempDir Path data) throws Exception {
    Path rules = Files.writeString(data.resolve("rules.yaml"), "status: { name: mission-status, enabled: true }\nlogs: []\n");
    int clusterPort = 29000 + (int) (Math.random() * 2000);
    int httpPort = freePort();
    List<JarProcess> processes = new ArrayList<>();
    try (NamespaceHost island = NamespaceHost.create(1);
         TcpRelay dbRelay = TcpRelay.start(island.gateway(), db.url().port());
         TcpRelay snsRelay = TcpRelay.start(island.gateway(), aws.fauxqs().endpoint().getPort());
         TcpRelay cloudWatchRelay = TcpRelay.start(island.gateway(), aws.cloudWatch().endpoint().getPort());
         // closed first: every JVM is killed before its relays and its namespace go
         AutoCloseable killAll = () -> processes.forEach(JarProcess::close)) {
      String here = island.gateway();
      Map<String, String> common = Map.of(
        "MC_API_TOKENS", TOKEN, "MC_CLUSTER_MEMBERS", here + ":" + clusterPort + "," + island.address() + ":" + clusterPort,
        "MC_CLUSTER_PORT", String.valueOf(clusterPort), "MC_MANAGEMENT_PORT", "0", "MC_DATA_DIR", data.toString(),
        "MC_CLUSTER_MIN_MEMBERS", "3");
      Map<String, String> alertRules = Map.of("MC_AWS_REGION", Fauxqs.REGION, "MC_SNS_TOPIC_ARN", aws.topic(),
        "MC_ALERT_RULES_FILE", rules.toString(), "MC_ALERT_GROUP_WAIT", "0s", "MC_ALERT_TICK", "200ms");
      Map<String, String> hereEnv = with(common, Map.of("MC_DB_URL", db.url().url(), "MC_CLUSTER_HOST", here));
      Map<String, String> alertHere = with(with(hereEnv, alertRules), Map.of(
        "MC_AWS_ENDPOINT", aws.cloudWatch().endpoint().toString(), "MC_AWS_ENDPOINTS_SNS", aws.fauxqs().endpoint().toString()));
      DatabaseUrl relayed = new DatabaseUrl(here, dbRelay.port(), db.url().database(), db.url().user(), db.url().password());
      Map<String, String> alertOnIsland = with(with(common, alertRules), Map.of(
        "MC_DB_URL", relayed.url(), "MC_CLUSTER_HOST", island.address(),
        "MC_AWS_ENDPOINT", "http://" + here + ":" + cloudWatchRelay.port(), "MC_AWS_ENDPOINTS_SNS", "http://" + here + ":" + snsRelay.port()));

      JarProcess status = started(processes, JarProcess.start("status", LOGS, with(hereEnv, Map.of("MC_HTTP_PORT", String.valueOf(httpPort))),
        "--cluster", "--roles", "status"));
      started(processes, JarProcess.start("monitor", LOGS, with(hereEnv, Map.of("MC_MONITOR_INTERVAL", "1s")), "--cluster", "--roles", "monitor"));
      JarProcess first = started(processes, JarProcess.start("alert-1", LOGS, alertHere, "--cluster", "--roles", "alert"));
      status.awaitHttp200("http://127.0.0.1:" + httpPort + "/health/ready", Duration.ofSeconds(90));
      ClusterFailoverIT.awaitOutput(first, "alert role active here", Duration.ofSeconds(90));
      JarProcess second = started(processes, JarProcess.start("alert-2", LOGS, alertHere, "--cluster", "--roles", "alert"));
      JarProcess cutOff = started(processes, JarProcess.startOn(island.command(), "alert-island", LOGS, alertOnIsland,
        "--cluster", "--roles", "alert"));
      awaitCount(status, "Members {size:5", 1, Duration.ofSeconds(90));
      ClusterFailoverIT.awaitOutput(cutOff, "alert role standing by", Duration.ofSeconds(60));
      assertThat(send(post(httpPort, "/api/v1/missions", TOKEN, "{\"id\":\"split\",\"name\":\"Split\"}")).statusCode()).isEqualTo(201);

      SnsLedger ledger = aws.ledger();
      Map<String, String> figures = new LinkedHashMap<>();
      JarProcess[] majority = {first, second};
      for (int round = 0; round < ROUNDS; round++) {
        String r = "r" + round + "-";
        JarProcess active = ProcessLogs.alertHolder(db, majority[0], majority[1], cutOff);
        assertThat(active).as("the lease is on the majority side before the cut").isNotSameAs(cutOff);
        JarProcess standby = active == majority[0] ? majority[1] : majority[0];
        record(httpPort, r + "pre", "CRITICAL");
        ledger.await(Set.of("mission-status split/" + r + "pre FIRING"), Duration.ofSeconds(20));

        // the cut: both sides must see it before the active one dies (until then the island still counts the others)
        int fours = count(status.output(), "Members {size:4");
        int alone = count(cutOff.output(), "Members {size:1");
        int outnumbered = count(cutOff.output(), "fewer than cluster.minMembers");
        int activations = count(cutOff.output(), "alert role active here");
        long cutAt = System.nanoTime();
        island.cutOffExcept(dbRelay.port(), snsRelay.port(), cloudWatchRelay.port());
        awaitCount(status, "Members {size:4", fours + 1, Duration.ofSeconds(40));
        awaitCount(cutOff, "Members {size:1", alone + 1, Duration.ofSeconds(40));
        figures.put(r + "split seen by both sides after the cut, in ms", millisSince(cutAt));

        long killedAt = System.nanoTime();
        active.kill();
        record(httpPort, r + "a", "CRITICAL");
        record(httpPort, r + "b", "CRITICAL");
        record(httpPort, r + "pre", "NOMINAL");
        record(httpPort, r + "blip", "CRITICAL");
        record(httpPort, r + "blip", "NOMINAL");
        ledger.await(Set.of("mission-status split/" + r + "a FIRING", "mission-status split/" + r + "b FIRING",
          "mission-status split/" + r + "pre RESOLVED", "mission-status split/" + r + "blip FIRING",
          "mission-status split/" + r + "blip RESOLVED"), Duration.ofSeconds(30));
        figures.put(r + "every change after the kill notified by the majority's standby, in ms", millisSince(killedAt));
        assertThat(ProcessLogs.alertHolder(db, standby, cutOff)).as("the majority's standby holds the lease").isSameAs(standby);
        assertThat(count(cutOff.output(), "alert role active here")).as("the cut-off instance never became active").isEqualTo(activations);
        assertThat(count(cutOff.output(), "fewer than cluster.minMembers")).as("the cut-off instance knew it was outnumbered")
          .isGreaterThan(outnumbered);

        long healedAt = System.nanoTime();
        island.heal();
        awaitCount(status, "Members {size:4", fours + 2, Duration.ofSeconds(60));
        figures.put(r + "merged after healing, in ms", millisSince(healedAt));
        record(httpPort, r + "a", "NOMINAL");
        ledger.await(Set.of("mission-status split/" + r + "a RESOLVED"), Duration.ofSeconds(20));
        assertThat(count(cutOff.output(), "alert role active here")).as("the merged instance stays a standby").isEqualTo(activations);

        // the killed instance comes back as a standby, so the next round has a majority again
        int fives = count(status.output(), "Members {size:5");
        JarProcess replacement = started(processes, JarProcess.start("alert-r" + round, LOGS, alertHere, "--cluster", "--roles", "alert"));
        awaitCount(status, "Members {size:5", fives + 1, Duration.ofSeconds(60));
        ClusterFailoverIT.awaitOutput(replacement, "alert role standing by", Duration.ofSeconds(30));
        majority = new JarProcess[] {standby, replacement};
      }

      // anything sent twice, or late by a deposed instance, has arrived by now
      ledger.drain(Duration.ofSeconds(5));
      figures.putAll(ledger.verify());
      System.out.println("PartitionedActiveIT figures: " + figures);
    }
  }

  private static JarProcess started(List<JarProcess> processes, JarProcess process) {
    processes.add(process);
    return process;
  }

  private static String millisSince(long nanos) {
    return String.valueOf(Duration.ofNanos(System.nanoTime() - nanos).toMillis());
  }

  private static void record(int port, String subsystem, String level) throws Exception {
    HttpResponse<String> response = send(post(port, "/api/v1/missions/split/updates", TOKEN,
      "{\"subsystem\":\"" + subsystem + "\",\"level\":\"" + level + "\",\"message\":\"partition test\"}"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }
}
