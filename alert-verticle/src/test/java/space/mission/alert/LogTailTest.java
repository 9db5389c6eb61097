package space.mission.alert;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.bus.AlertEvent;
import space.mission.runtime.logs.LocalLogs;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.Await;
import space.mission.testkit.CloudWatchStandIn;
import space.mission.testkit.Fauxqs;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Log tailing: CloudWatch Logs through the stand-in (AWS mode) and the local JSON-lines files, each resuming from its checkpoint. */
class LogTailTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static CloudWatchStandIn cloudWatch;
  static Fauxqs fauxqs;
  Vertx vertx;

  static final String RULES = """
    logs:
      - { name: error-burst, group: /mission-control/app, stream: app, pattern: ERROR, window: 1m, count: 3, severity: WARNING }
    """;

  @BeforeAll
  static void emulators() {
    cloudWatch = CloudWatchStandIn.start();
    fauxqs = Fauxqs.start();
  }

  @AfterAll
  static void stopEmulators() {
    cloudWatch.close();
    fauxqs.close();
  }

  @BeforeEach
  void clean() {
    db.truncate("alerts", "alert_history", "notification_outbox", "silences", "monitor_heartbeats", "log_tail_checkpoints");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private double matches(String source) {
    Counter counter = MissionMetrics.of(vertx).registry().find("mission.alert.log.matches").tag("source", source).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("AWS mode: ERROR lines put with PutLogEvents are found by the tail, fire the burst rule, and a restart resumes without repeats")
  void cloudWatchTail(@TempDir Path dir) throws Exception {
    String topic = fauxqs.topics().createTopic("tail-alerts");
    AlertHarness alerts = new AlertHarness(vertx, db.url(), dir, RULES, Map.of(
      "MC_AWS_REGION", "us-east-1", "MC_AWS_ENDPOINT", cloudWatch.endpoint().toString(),
      "MC_AWS_ENDPOINTS_SNS", fauxqs.endpoint().toString(), "MC_SNS_TOPIC_ARN", topic, "MC_ALERT_TAIL_LOOKBACK", "30s")).deploy();
    CloudWatchLogsAsyncClient logs = AwsClients.async(CloudWatchLogsAsyncClient.builder(),
      new AwsSettings(Optional.of("us-east-1"), Optional.of(cloudWatch.endpoint())), AwsSettings.Service.LOGS);
    try {
      logs.createLogGroup(request -> request.logGroupName("/mission-control/app")).join();
      logs.createLogStream(request -> request.logGroupName("/mission-control/app").logStreamName("status-1")).join();
      put(logs, "ERROR db pool exhausted", "INFO all fine", "ERROR db pool exhausted", "ERROR retry failed");
      Await.until(Duration.ofSeconds(10), () -> alerts.events.stream().anyMatch(event -> event.state() == AlertEvent.State.FIRING));
      AlertEvent fired = alerts.events.get(0);
      assertThat(fired.rule()).isEqualTo("error-burst");
      assertThat(fired.labels()).containsEntry("source", "/mission-control/app");
      String source = "cloudwatch:/mission-control/app:error-burst";
      Await.until(Duration.ofSeconds(5), () -> matches(source) == 3);

      alerts.undeploy();
      put(logs, "ERROR after the restart", "ERROR and another");
      alerts.deploy();
      Await.until(Duration.ofSeconds(10), () -> matches(source) == 5);
      // a quiet window: a line matched twice after the restart would show
      Thread.sleep(1500);
      assertThat(matches(source)).as("the restart resumed from the checkpoint: no line twice").isEqualTo(5);
    } finally {
      logs.close();
    }
  }

  private static void put(CloudWatchLogsAsyncClient logs, String... messages) {
    List<InputLogEvent> events = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < messages.length; i++) {
      events.add(InputLogEvent.builder().timestamp(now + i).message(messages[i]).build());
    }
    logs.putLogEvents(request -> request.logGroupName("/mission-control/app").logStreamName("status-1").logEvents(events)).join();
  }

  @Test
  @DisplayName("Local mode: ERROR lines in data/logs/app.jsonl fire the burst rule; across a rotation and a restart no line is missed or repeated")
  void localTail(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path log = LocalLogs.current(data, "app");
    Files.createDirectories(log.getParent());
    append(log, "{\"level\":\"ERROR\",\"message\":\"before the tail started\"}");
    AlertHarness alerts = new AlertHarness(vertx, db.url(), dir, RULES, Map.of()).deploy();
    String source = "local:app";
    // the tail starts reading at the file's end as it starts: the lines below must come after that
    Thread.sleep(500);
    for (int i = 0; i < 3; i++) {
      append(log, new JsonObject().put("timestamp", Instant.now().toEpochMilli()).put("level", "ERROR").put("message", "boom " + i).encode());
    }
    append(log, "{\"level\":\"INFO\",\"message\":\"fine\"}");
    Await.until(Duration.ofSeconds(10), () -> alerts.events.stream().anyMatch(event -> event.state() == AlertEvent.State.FIRING));
    assertThat(matches(source)).as("history before the first start is not replayed").isEqualTo(3);

    alerts.undeploy();
    append(log, "{\"level\":\"ERROR\",\"message\":\"written while the alert role was down\"}");
    Files.move(log, LocalLogs.rotated(data, "app", 1));
    append(log, "{\"level\":\"ERROR\",\"message\":\"in the new file\"}");
    alerts.deploy();
    Await.until(Duration.ofSeconds(10), () -> matches(source) == 5);
    // a quiet window: a line matched twice after the rotation would show
    Thread.sleep(1000);
    assertThat(matches(source)).isEqualTo(5);
  }

  private static void append(Path file, String line) throws Exception {
    Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
