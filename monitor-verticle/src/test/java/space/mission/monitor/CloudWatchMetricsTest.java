package space.mission.monitor;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.runtime.aws.AwsSettings;
import space.mission.runtime.metrics.CloudWatchMetrics;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.CloudWatchStandIn;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.testkit.Await.until;

/** Micrometer's CloudWatch registry, through our spool, against the stand-in's PutMetricData (RPC v2 CBOR). */
class CloudWatchMetricsTest {

  CloudWatchStandIn cloudWatch;
  Vertx vertx;
  String namespace;
  final AtomicLong value = new AtomicLong();
  final List<CloudWatchMetrics> leftOpen = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    cloudWatch = CloudWatchStandIn.start();
    vertx = Vertx.vertx();
    namespace = "MissionControlTest-" + UUID.randomUUID();
    Gauge.builder("mission.monitor.test.value", value, AtomicLong::get).tag("host", "h1").register(MissionMetrics.of(vertx).registry());
    Gauge.builder("other.metric", value, AtomicLong::get).register(MissionMetrics.of(vertx).registry());
  }

  @AfterEach
  void stop() {
    leftOpen.forEach(metrics -> metrics.release().await());
    vertx.close().await();
    cloudWatch.close();
  }

  private CloudWatchMetrics acquire(Path spool) {
    CloudWatchMetrics.Settings settings = new CloudWatchMetrics.Settings(
      new AwsSettings(Optional.of("us-east-1"), Optional.of(cloudWatch.endpoint())), namespace, Duration.ofSeconds(1),
      List.of("mission.monitor"), spool, 1 << 20);
    CloudWatchMetrics metrics = CloudWatchMetrics.acquire(vertx, settings).await();
    leftOpen.add(metrics);
    return metrics;
  }

  private List<CloudWatchStandIn.Datum> ours() {
    return cloudWatch.datums().stream().filter(datum -> datum.name().equals("mission.monitor.test.value.value")).toList();
  }

  @Test
  @DisplayName("Our meters reach CloudWatch with their tags as dimensions and high resolution; other meters do not")
  void delivers(@TempDir Path spool) throws Exception {
    value.set(42);
    acquire(spool);
    until(Duration.ofSeconds(15), () -> !ours().isEmpty());
    CloudWatchStandIn.Datum datum = ours().get(0);
    assertThat(datum.namespace()).isEqualTo(namespace);
    assertThat(datum.dimensions()).containsEntry("host", "h1");
    assertThat(datum.value()).isEqualTo(42.0);
    assertThat(datum.storageResolution()).isEqualTo(1);
    assertThat(cloudWatch.datums()).noneMatch(other -> other.name().startsWith("other") || other.name().startsWith("jvm"));
    assertThat(cloudWatch.violations()).isEmpty();
  }

  @Test
  @DisplayName("Through an outage and a restart every datum arrives once, in order, with its original timestamp")
  void outageAndRestart(@TempDir Path spool) throws Exception {
    CloudWatchMetrics metrics = acquire(spool);
    until(Duration.ofSeconds(15), () -> ours().size() >= 2);
    Instant outageStarted = Instant.now();
    cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
    // time must pass: the outage has to outlast several 1 s steps, so datums are spooled, not sent
    Thread.sleep(3500);
    Instant restartBegan = Instant.now();
    metrics.release().await();
    leftOpen.remove(metrics);
    int beforeRestart = ours().size();

    metrics = acquire(spool);
    Instant restartEnded = Instant.now();
    // time must pass: the restarted instance spools its own steps while the outage goes on
    Thread.sleep(1500);
    cloudWatch.heal();
    until(Duration.ofSeconds(30), () -> ours().stream().anyMatch(datum -> datum.timestamp().isAfter(Instant.now().minusSeconds(2))));
    // time must pass: a few live steps after the catch-up, which the count and the no-hole check read
    Thread.sleep(1500);
    metrics.release().await();
    leftOpen.remove(metrics);

    List<Instant> timestamps = ours().stream().map(CloudWatchStandIn.Datum::timestamp).toList();
    assertThat(timestamps).as("in order, none twice").isSorted().doesNotHaveDuplicates();
    assertThat(timestamps.size()).isGreaterThan(beforeRestart + 4);
    long outageDatums = timestamps.stream().filter(at -> at.isAfter(outageStarted) && at.isBefore(outageStarted.plusSeconds(3))).count();
    assertThat(outageDatums).as("what was published during the outage arrived afterwards").isGreaterThanOrEqualTo(2);
    for (int i = 1; i < timestamps.size(); i++) {
      boolean acrossRestart = timestamps.get(i - 1).isBefore(restartEnded.plusSeconds(1)) && timestamps.get(i).isAfter(restartBegan);
      if (!acrossRestart) {
        assertThat(Duration.between(timestamps.get(i - 1), timestamps.get(i))).as("no hole in the series but while it was restarting")
          .isLessThan(Duration.ofMillis(2600));
      }
    }
    assertThat(cloudWatch.violations()).isEmpty();
  }
}
