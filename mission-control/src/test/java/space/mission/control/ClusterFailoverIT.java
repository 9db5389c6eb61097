package space.mission.control;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import space.mission.testkit.Await;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.JarProcess;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.control.LauncherJarIT.freePort;
import static space.mission.control.LauncherJarIT.post;
import static space.mission.control.LauncherJarIT.send;

/**
 * One JVM per role on loopback, as compose runs them: readings cross processes from monitor to
 * alert; two alert instances, one active; kill -9 the active one while alerts are firing and the
 * other takes over, with every notification reaching SNS (fauxqs) once per state change.
 */
class ClusterFailoverIT {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static final Path LOGS = LauncherJarIT.LOGS.resolve("cluster");
  static final String TOKEN = "cluster-failover-token";
  static final Duration TAKEOVER = Duration.ofSeconds(10);

  @RegisterExtension
  static AlertTopicStandIns aws = new AlertTopicStandIns("cluster");

  @Test
  @DisplayName("monitor -> alert across JVMs; kill -9 of the active alert instance: the standby takes over within 10 s and SNS gets "
    + "each state change exactly once; kill -9 of the monitor fires monitor-missing; the status API serves throughout")
  void failover(@TempDir Path data) throws Exception {
    Path rules = Files.writeString(data.resolve("rules.yaml"), """
      readings:
        - { name: memory-over-1, metric: memory.usage, comparison: ">", threshold: 1, for: 0s, severity: WARNING }
      missingMonitor: { name: monitor-missing, intervals: 3, severity: CRITICAL, forgetAfter: 1h, defaultIntervalSeconds: 1 }
      logs: []
      status: { name: mission-status, enabled: true }
      """);
    int clusterPort = 23000 + (int) (Math.random() * 2000);
    int httpPort = freePort();
    Map<String, String> common = Map.of(
      "MC_DB_URL", db.url().url(), "MC_API_TOKENS", TOKEN, "MC_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort,
      "MC_CLUSTER_PORT", String.valueOf(clusterPort), "MC_MANAGEMENT_PORT", "0", "MC_DATA_DIR", data.toString());
    Map<String, String> alertEnv = with(common, Map.of(
      "MC_AWS_REGION", Fauxqs.REGION, "MC_AWS_ENDPOINT", aws.cloudWatch().endpoint().toString(),
      "MC_AWS_ENDPOINTS_SNS", aws.fauxqs().endpoint().toString(), "MC_SNS_TOPIC_ARN", aws.topic(),
      "MC_ALERT_RULES_FILE", rules.toString(), "MC_ALERT_GROUP_WAIT", "0s", "MC_ALERT_TICK", "200ms"));

    try (JarProcess status = JarProcess.start("status", LOGS, with(common, Map.of("MC_HTTP_PORT", String.valueOf(httpPort))),
           "--cluster", "--roles", "status");
         JarProcess alertA = JarProcess.start("alert-a", LOGS, alertEnv, "--cluster", "--roles", "alert")) {
      status.awaitHttp200(api(httpPort, "/health/ready"), Duration.ofSeconds(60));
      awaitOutput(alertA, "alert role active here", Duration.ofSeconds(60));
      try (JarProcess alertB = JarProcess.start("alert-b", LOGS, alertEnv, "--cluster", "--roles", "alert");
           JarProcess monitor = JarProcess.start("monitor", LOGS, with(common, Map.of("MC_MONITOR_INTERVAL", "1s")),
             "--cluster", "--roles", "monitor")) {
        awaitOutput(alertB, "alert role standing by", Duration.ofSeconds(60));
        awaitOutput(status, "Members {size:4", Duration.ofSeconds(60));

        List<JsonObject> received = new ArrayList<>();
        // a reading from the monitor JVM crosses to the alert JVM: the host's memory alert fires
        awaitNotification(received, body -> body.getString("rule").equals("memory-over-1") && body.getString("state").equals("FIRING"),
          Duration.ofSeconds(30));
        assertThat(send(post(httpPort, "/api/v1/missions", TOKEN, "{\"id\":\"voyager\",\"name\":\"Voyager\"}")).statusCode()).isEqualTo(201);
        recordUpdate(httpPort, "comms", "WARNING");
        awaitNotification(received, firing("voyager/comms"), Duration.ofSeconds(15));

        // the active alert instance crashes while both alerts are firing
        long killed = System.nanoTime();
        alertA.kill();
        recordUpdate(httpPort, "comms", "NOMINAL");
        recordUpdate(httpPort, "power", "CRITICAL");
        awaitNotification(received, body -> body.getString("state").equals("RESOLVED") && body.getString("where").equals("voyager/comms"),
          TAKEOVER.plusSeconds(5));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("after kill -9 of the active alert instance, the standby's first notification came in " + takeover.toMillis() + " ms");
        assertThat(takeover).as("standby took over and notified").isLessThanOrEqualTo(TAKEOVER);
        awaitNotification(received, firing("voyager/power"), Duration.ofSeconds(10));
        assertThat(alertB.output()).contains("alert role active here");

        // the monitor crashes once the instance now active has heard from it (a monitor it never heard of it cannot miss);
        // time must pass: nothing outside the process shows that it has, and readings come every second
        Thread.sleep(3_000);
        monitor.kill();
        awaitNotification(received, body -> body.getString("rule").equals("monitor-missing") && body.getString("state").equals("FIRING"),
          Duration.ofSeconds(20));
        assertThat(send(HttpRequest.newBuilder(URI.create(api(httpPort, "/api/v1/missions/voyager/status")))).statusCode()).isEqualTo(200);

        // anything sent twice would have arrived by now
        received.addAll(bodies(aws.fauxqs().topics().receive(aws.queue(), 100, Duration.ofSeconds(4))));
        Map<String, Long> perStateChange = received.stream()
          .collect(Collectors.groupingBy(body -> body.getString("rule") + " " + body.getString("where") + " " + body.getString("state"),
            Collectors.counting()));
        assertThat(perStateChange).as("notifications per state change").allSatisfy((change, count) -> assertThat(count).as(change).isEqualTo(1));
        assertThat(perStateChange).containsKeys("memory-over-1 " + hostOf(received) + " FIRING", "mission-status voyager/comms FIRING",
          "mission-status voyager/comms RESOLVED", "mission-status voyager/power FIRING");
      }
    }
  }

  private static Predicate<JsonObject> firing(String where) {
    return body -> body.getString("state").equals("FIRING") && where.equals(body.getString("where"));
  }

  private static String hostOf(List<JsonObject> received) {
    return received.stream().filter(body -> body.getString("rule").equals("memory-over-1")).findFirst().orElseThrow().getString("where");
  }

  private static void recordUpdate(int port, String subsystem, String level) throws Exception {
    HttpResponse<String> response = send(post(port, "/api/v1/missions/voyager/updates", TOKEN,
      "{\"subsystem\":\"" + subsystem + "\",\"level\":\"" + level + "\",\"message\":\"failover test\"}"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  /** Receives notifications into {@code received} until one matches; the others are kept for the final count. */
  private static void awaitNotification(List<JsonObject> received, Predicate<JsonObject> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.stream().noneMatch(wanted)) {
      assertThat(System.nanoTime()).as("a notification arrived in time; got " + received).isLessThan(deadline);
      received.addAll(bodies(aws.fauxqs().topics().receive(aws.queue(), 1, Duration.ofMillis(200))));
    }
  }

  /** The alert bodies of SNS notifications as an SQS subscription receives them. */
  static List<JsonObject> bodies(List<Message> messages) {
    return messages.stream().map(message -> new JsonObject(new JsonObject(message.body()).getString("Message"))).toList();
  }

  static void awaitOutput(JarProcess process, String text, Duration timeout) throws Exception {
    Await.until(timeout, Duration.ofMillis(100), () -> "\"" + text + "\":\n" + process.tail(), () -> {
      if (process.output().contains(text)) {
        return true;
      }
      assertThat(process.handle().isAlive()).as(process.tail()).isTrue();
      return false;
    });
  }

  private static String api(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(more);
    return env;
  }
}
