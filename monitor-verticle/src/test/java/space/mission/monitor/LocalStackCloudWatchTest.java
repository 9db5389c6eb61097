package space.mission.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.runtime.metrics.CloudWatchMetrics;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.monitor.logs.CloudWatchLogsSink;
import space.mission.testkit.Await;
import space.mission.testkit.LocalStack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** With Docker present, the CloudWatch shipping paths run against LocalStack too (skipped otherwise). */
class LocalStackCloudWatchTest {

  @Test
  @DisplayName("LocalStack: log lines arrive in order in the created stream, and metrics are listed in the namespace")
  void againstLocalStack(@TempDir Path data) throws Exception {
    try (LocalStack localStack = LocalStack.start(LocalStackContainer.Service.CLOUDWATCH, LocalStackContainer.Service.CLOUDWATCHLOGS)) {
      AwsSettings aws = new AwsSettings(Optional.of(localStack.region()), Optional.of(localStack.endpoint()));
      Vertx vertx = Vertx.vertx();
      CloudWatchLogsAsyncClient logs = AwsClients.async(CloudWatchLogsAsyncClient.builder(), aws, AwsSettings.Service.LOGS);
      CloudWatchAsyncClient cloudWatch = AwsClients.async(CloudWatchAsyncClient.builder(), aws, AwsSettings.Service.CLOUDWATCH);
      try {
        CloudWatchLogsSink sink = new CloudWatchLogsSink(vertx, logs, "/it/resources", "h/i", data.resolve("logs"), 1 << 20,
          Duration.ofMillis(200), new SimpleMeterRegistry());
        sink.start().await();
        Instant start = Instant.now();
        for (int i = 0; i < 20; i++) {
          sink.write(Readings.at(start.plusMillis(i), i));
        }
        List<OutputLogEvent> events = Await.value(Duration.ofSeconds(30), Duration.ofMillis(500),
          () -> logs.getLogEvents(request -> request.logGroupName("/it/resources").logStreamName("h/i").startFromHead(true)).get().events(),
          found -> found.size() >= 20);
        assertThat(events).hasSize(20);
        assertThat(events.stream().map(OutputLogEvent::timestamp).toList()).isSorted();
        sink.stop().await();

        AtomicLong value = new AtomicLong(7);
        Gauge.builder("mission.monitor.localstack", value, AtomicLong::get).register(MissionMetrics.of(vertx).registry());
        CloudWatchMetrics metrics = CloudWatchMetrics.acquire(vertx, new CloudWatchMetrics.Settings(aws, "MissionControlIT",
          Duration.ofSeconds(1), List.of("mission.monitor"), data.resolve("metrics"), 1 << 20)).await();
        boolean listed = Await.value(Duration.ofSeconds(30), Duration.ofMillis(500),
          () -> !cloudWatch.listMetrics(request -> request.namespace("MissionControlIT")).get().metrics().isEmpty(), found -> found);
        assertThat(listed).isTrue();
        metrics.release().await();
      } finally {
        logs.close();
        cloudWatch.close();
        vertx.close().await();
      }
    }
  }
}
