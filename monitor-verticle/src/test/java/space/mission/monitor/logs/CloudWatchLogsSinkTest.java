package space.mission.monitor.logs;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.runtime.spool.DiskSpool;
import space.mission.monitor.Readings;
import space.mission.testkit.CloudWatchStandIn;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.testkit.Await.until;

/** The real CloudWatchLogsAsyncClient against the testkit's wire-level stand-in. */
class CloudWatchLogsSinkTest {

  static CloudWatchStandIn cloudWatch;
  static CloudWatchLogsAsyncClient client;
  Vertx vertx;
  SimpleMeterRegistry registry;
  final List<CloudWatchLogsSink> sinks = new ArrayList<>();

  @BeforeAll
  static void standIn() {
    cloudWatch = CloudWatchStandIn.start();
    client = AwsClients.async(CloudWatchLogsAsyncClient.builder(), new AwsSettings(Optional.of("us-east-1"), Optional.of(cloudWatch.endpoint())), AwsSettings.Service.LOGS);
  }

  @AfterAll
  static void close() {
    client.close();
    cloudWatch.close();
  }

  @AfterEach
  void stopSinks() {
    sinks.forEach(sink -> sink.stop().await());
    cloudWatch.heal();
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private CloudWatchLogsSink sink(String group, String stream, Path spool, long spoolBytes) {
    if (vertx == null) {
      vertx = Vertx.vertx();
      registry = new SimpleMeterRegistry();
    }
    CloudWatchLogsSink sink = new CloudWatchLogsSink(vertx, client, group, stream, spool, spoolBytes, Duration.ofMillis(200), registry);
    sink.start().await();
    sinks.add(sink);
    return sink;
  }

  private static String group() {
    return "/test/" + UUID.randomUUID();
  }

  private static List<Double> cpus(List<CloudWatchStandIn.LogEvent> events) {
    List<Double> values = new ArrayList<>();
    for (CloudWatchStandIn.LogEvent event : events) {
      JsonObject line = new JsonObject(event.message());
      if (!"gap".equals(line.getString("type"))) {
        values.add(line.getJsonObject("cpu").getDouble("usagePercent"));
      }
    }
    return values;
  }

  private static List<Double> sequence(int from, int to) {
    List<Double> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add((double) i);
    }
    return values;
  }

  @Test
  @DisplayName("Lines reach the host/instance stream, creating the group and stream, in order, each once")
  void delivers(@TempDir Path spool) throws Exception {
    String group = group();
    CloudWatchLogsSink sink = sink(group, "test-host/i-1", spool, 1 << 20);
    Instant start = Instant.now();
    for (int i = 0; i < 50; i++) {
      sink.write(Readings.at(start.plusMillis(i), i));
    }
    until(Duration.ofSeconds(10), () -> cloudWatch.events(group, "test-host/i-1").size() == 50);
    assertThat(cloudWatch.streams().get(group)).containsExactly("test-host/i-1");
    assertThat(cpus(cloudWatch.events(group, "test-host/i-1"))).isEqualTo(sequence(0, 50));
    assertThat(cloudWatch.violations()).isEmpty();
  }

  @Test
  @DisplayName("A backlog goes out in batches within the limits: 10,000 events, 1 MiB, 24 hours, time order")
  void batchingLimits(@TempDir Path spool) throws Exception {
    String group = group();
    cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
    CloudWatchLogsSink sink = sink(group, "s", spool, 256L << 20);
    Instant start = Instant.now().minus(Duration.ofDays(3));
    int count = 24_000;
    for (int i = 0; i < count; i++) {
      // three days of readings: spans the 24-hour rule as well as the count and size limits
      sink.write(Readings.at(start.plusSeconds(i * 10L), i));
    }
    // time must pass: the shipper tries (and fails) during the outage, so the backlog is sent from the spool
    Thread.sleep(1500);
    cloudWatch.heal();
    until(Duration.ofSeconds(60), () -> cloudWatch.events(group, "s").size() == count);
    assertThat(cloudWatch.violations()).isEmpty();
    assertThat(cloudWatch.putLogEventsSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(10_000));
    assertThat(cloudWatch.putLogEventsSizes().size()).as("24 h at 10 s per reading is 8,640 events a batch at most").isGreaterThanOrEqualTo(3);
    assertThat(cpus(cloudWatch.events(group, "s"))).isEqualTo(sequence(0, count));
  }

  @Test
  @DisplayName("Large lines are split by bytes: no call goes over 1,048,576 bytes")
  void byteLimit() throws Exception {
    List<DiskSpool.Record> records = new ArrayList<>();
    String big = "x".repeat(100_000);
    for (int i = 0; i < 30; i++) {
      records.add(new DiskSpool.Record(i, big));
    }
    int first = CloudWatchLogsSink.fitting(records);
    assertThat(first).isEqualTo(10);
    assertThat((long) first * (100_000 + 26)).isLessThanOrEqualTo(1_048_576);
    List<DiskSpool.Record> unordered = List.of(new DiskSpool.Record(5, "a"), new DiskSpool.Record(6, "b"), new DiskSpool.Record(4, "c"));
    assertThat(CloudWatchLogsSink.fitting(unordered)).as("a line older than the one before starts the next batch").isEqualTo(2);
  }

  @Test
  @DisplayName("Through a 500 outage and throttling, every line arrives once, in order, with its original timestamp")
  void outage(@TempDir Path spool) throws Exception {
    String group = group();
    CloudWatchLogsSink sink = sink(group, "s", spool, 1 << 20);
    Instant start = Instant.now();
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      timestamps.add(start.plusMillis(i).toEpochMilli());
      sink.write(Readings.at(start.plusMillis(i), i));
    }
    until(Duration.ofSeconds(10), () -> cloudWatch.events(group, "s").size() == 10);
    cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
    for (int i = 10; i < 40; i++) {
      timestamps.add(start.plusMillis(i).toEpochMilli());
      sink.write(Readings.at(start.plusMillis(i), i));
    }
    // time must pass: retries through the server errors, before the fault changes
    Thread.sleep(2000);
    cloudWatch.fail(CloudWatchStandIn.Fault.THROTTLING);
    for (int i = 40; i < 60; i++) {
      timestamps.add(start.plusMillis(i).toEpochMilli());
      sink.write(Readings.at(start.plusMillis(i), i));
    }
    // time must pass: retries through the throttling, and the check that none of them got through
    Thread.sleep(2000);
    assertThat(cloudWatch.events(group, "s")).hasSize(10);
    cloudWatch.heal();
    until(Duration.ofSeconds(60), () -> cloudWatch.events(group, "s").size() >= 60);
    // time must pass: a duplicate would come after the 60th event; the exact sequence below rules it out
    Thread.sleep(500);
    List<CloudWatchStandIn.LogEvent> events = cloudWatch.events(group, "s");
    assertThat(cpus(events)).isEqualTo(sequence(0, 60));
    assertThat(events.stream().map(CloudWatchStandIn.LogEvent::timestamp).toList()).isEqualTo(timestamps);
    assertThat(registry.get("mission.spool.send.failures").counter().count()).isPositive();
  }

  @Test
  @DisplayName("Lines spooled during an outage survive a restart of the sink and arrive once after recovery")
  void restart(@TempDir Path spool) throws Exception {
    String group = group();
    cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
    CloudWatchLogsSink first = sink(group, "s", spool, 1 << 20);
    Instant start = Instant.now();
    for (int i = 0; i < 25; i++) {
      first.write(Readings.at(start.plusMillis(i), i));
    }
    // time must pass: the first sink tries and fails to ship during the outage before it stops
    Thread.sleep(1000);
    first.stop().await();
    sinks.remove(first);
    CloudWatchLogsSink second = sink(group, "s", spool, 1 << 20);
    for (int i = 25; i < 30; i++) {
      second.write(Readings.at(start.plusMillis(i), i));
    }
    cloudWatch.heal();
    until(Duration.ofSeconds(60), () -> cloudWatch.events(group, "s").size() >= 30);
    // time must pass: a duplicate would come after the 30th event; the exact sequence below rules it out
    Thread.sleep(500);
    assertThat(cpus(cloudWatch.events(group, "s"))).isEqualTo(sequence(0, 30));
  }

  @Test
  @DisplayName("With a tiny spool, the oldest lines are dropped during an outage: counted, and recorded as a gap in the stream")
  void tinySpoolDrops(@TempDir Path spool) throws Exception {
    String group = group();
    cloudWatch.fail(CloudWatchStandIn.Fault.SERVER_ERROR);
    CloudWatchLogsSink sink = sink(group, "s", spool, 8192);
    Instant start = Instant.now();
    for (int i = 0; i < 200; i++) {
      sink.write(Readings.at(start.plusMillis(i), i));
    }
    // time must pass: the outage lasts while the small spool fills and drops
    Thread.sleep(1500);
    cloudWatch.heal();
    until(Duration.ofSeconds(30), () -> cloudWatch.events(group, "s").stream().anyMatch(event -> event.message().contains("\"gap\"")));
    // time must pass: the rest of the spool after the gap record is still being shipped
    Thread.sleep(1000);
    double dropped = registry.get("mission.monitor.logs.dropped").counter().count();
    assertThat(dropped).isPositive();
    List<CloudWatchStandIn.LogEvent> events = cloudWatch.events(group, "s");
    List<Double> delivered = cpus(events);
    assertThat(delivered.size() + (int) dropped).as("every line either arrived or was counted as dropped").isEqualTo(200);
    // what arrived is in order, each once, up to the newest line; the rest was dropped oldest first,
    // except a batch that was out being sent when its segment was dropped: it counts as delivered if
    // that send commits (DiskSpool), so it may arrive ahead of a gap of newer lines
    assertThat(delivered).as("what arrived: in order, each once, up to the newest line").isSorted().doesNotHaveDuplicates();
    assertThat(delivered.get(delivered.size() - 1)).isEqualTo(199.0);
    List<JsonObject> gaps = events.stream().map(event -> new JsonObject(event.message())).filter(line -> "gap".equals(line.getString("type"))).toList();
    assertThat(gaps.stream().mapToLong(gap -> gap.getLong("dropped")).sum()).as("the gap records account for every dropped line").isEqualTo((long) dropped);
    assertThat(gaps).allSatisfy(gap -> assertThat(gap.getString("why")).contains("spool was full"));
    assertThat(Instant.parse(gaps.get(0).getString("from"))).as("the gap starts at the first dropped line").isEqualTo(start.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(gaps.size()).as("drops during one outage are recorded together, not line by line").isLessThanOrEqualTo(3);
    assertThat(spool.resolve("gap")).as("nothing left to record").doesNotExist();
  }

  @Test
  @DisplayName("Lines older than CloudWatch Logs accepts are dropped, counted and recorded as a gap")
  void tooOld(@TempDir Path spool) throws Exception {
    String group = group();
    CloudWatchLogsSink sink = sink(group, "s", spool, 1 << 20);
    Instant old = Instant.now().minus(Duration.ofDays(15));
    sink.write(Readings.at(old, 1));
    sink.write(Readings.at(old.plusSeconds(1), 2));
    sink.write(Readings.at(Instant.now(), 3));
    until(Duration.ofSeconds(10), () -> cloudWatch.events(group, "s").size() >= 2);
    // time must pass: a too-old event that was sent after all would come after these two
    Thread.sleep(500);
    List<CloudWatchStandIn.LogEvent> events = cloudWatch.events(group, "s");
    assertThat(cpus(events)).containsExactly(3.0);
    assertThat(events.stream().anyMatch(event -> event.message().contains("older than CloudWatch Logs accepts"))).isTrue();
    assertThat(registry.get("mission.monitor.logs.dropped").counter().count()).isEqualTo(2);
  }
}
