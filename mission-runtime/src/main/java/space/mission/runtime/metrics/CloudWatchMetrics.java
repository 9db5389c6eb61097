package space.mission.runtime.metrics;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.spool.Backoff;
import space.mission.runtime.spool.AgeSplit;
import space.mission.runtime.spool.DiskSpool;
import space.mission.runtime.spool.Gap;
import space.mission.runtime.spool.SpoolShipper;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Our meters in CloudWatch (AWS mode): Micrometer's CloudWatch registry, joined to the JVM's
 * composite registry and filtered to our own meter names, publishing through a disk spool (see
 * {@link SpoolingCloudWatchClient}) that a {@link SpoolShipper} delivers with PutMetricData. One
 * per Vert.x instance, shared by the roles that use it and closed when the last one lets go.
 */
public final class CloudWatchMetrics {

  /** What the {@code metrics.cloudwatch} section and the shared sections say. */
  public record Settings(AwsSettings aws, String namespace, Duration step, List<String> prefixes, Path spoolDir, long spoolMaxBytes) {

    public static Settings from(ConfigReader config) {
      return new Settings(AwsSettings.from(config),
        config.string("metrics.cloudwatch.namespace"),
        config.duration("metrics.cloudwatch.step", Duration.ofSeconds(1), Duration.ofHours(1)),
        config.strings("metrics.cloudwatch.prefixes"),
        Path.of(config.string("data.dir"), "spool", "metrics"),
        config.longInteger("spool.maxBytes", 4096, 1L << 40));
    }
  }

  /** CloudWatch takes metric data up to two weeks old. */
  static final Duration MAX_AGE = AgeSplit.CLOUDWATCH_MAX_AGE;
  private static final int DATUMS_PER_CALL = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchMetrics.class);
  private static final Map<Vertx, CloudWatchMetrics> BY_VERTX = new WeakHashMap<>();

  private final Vertx vertx;
  private final Settings settings;
  private final CloudWatchAsyncClient cloudWatch;
  private final DiskSpool spool;
  private final SpoolShipper shipper;
  private final CloudWatchMeterRegistry registry;
  private final MissionMetrics metrics;
  private final Counter droppedDatums;
  private final List<Consumer<Gap>> gapListeners = new CopyOnWriteArrayList<>();
  private int users;

  private CloudWatchMetrics(Vertx vertx, Settings settings, CloudWatchAsyncClient cloudWatch, DiskSpool spool) {
    this.vertx = vertx;
    this.settings = settings;
    this.cloudWatch = cloudWatch;
    this.spool = spool;
    this.metrics = MissionMetrics.of(vertx);
    this.droppedDatums = Counter.builder("mission.metrics.cloudwatch.dropped")
      .description("Metric data dropped unsent (spool full, or older than CloudWatch accepts)")
      .register(metrics.registry());
    this.shipper = new SpoolShipper(vertx, "cloudwatch-metrics", spool, new Sender(), DATUMS_PER_CALL * 4,
      Duration.ofSeconds(2), new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), metrics.registry(),
      this::countDropped);
    Context context = vertx.getOrCreateContext();
    SpoolingCloudWatchClient spooling = new SpoolingCloudWatchClient(spool, this::countDropped,
      () -> context.runOnContext(v -> shipper.nudge()));
    this.registry = new CloudWatchMeterRegistry(config(settings), Clock.SYSTEM, spooling);
    List<MeterFilter> filters = new ArrayList<>();
    settings.prefixes().forEach(prefix -> filters.add(MeterFilter.acceptNameStartsWith(prefix)));
    filters.forEach(registry.config()::meterFilter);
    registry.config().meterFilter(MeterFilter.deny());
    context.runOnContext(v -> shipper.start());
  }

  /**
   * The instance of {@code vertx}, created on first use (spool opened on a worker). Each caller
   * must {@link #release()} it when done.
   */
  public static Future<CloudWatchMetrics> acquire(Vertx vertx, Settings settings) {
    synchronized (BY_VERTX) {
      CloudWatchMetrics existing = BY_VERTX.get(vertx);
      if (existing != null) {
        existing.users++;
        return Future.succeededFuture(existing);
      }
    }
    return vertx.executeBlocking(() -> DiskSpool.open(settings.spoolDir(), settings.spoolMaxBytes()))
      .map(spool -> {
        synchronized (BY_VERTX) {
          CloudWatchMetrics created = BY_VERTX.computeIfAbsent(vertx, v -> new CloudWatchMetrics(vertx, settings,
            AwsClients.async(CloudWatchAsyncClient.builder(), settings.aws(), AwsSettings.Service.CLOUDWATCH), spool));
          created.users++;
          if (created.users == 1) {
            created.metrics.composite().add(created.registry);
            LOG.info("Metrics go to CloudWatch namespace {} every {} (spooled under {})", settings.namespace(), settings.step(), settings.spoolDir());
          }
          return created;
        }
      });
  }

  /** Lets go of the instance; the last user closes it (a last publish goes to the spool, to be delivered after a restart). */
  public Future<Void> release() {
    synchronized (BY_VERTX) {
      if (--users > 0) {
        return Future.succeededFuture();
      }
      BY_VERTX.remove(vertx);
    }
    metrics.composite().remove(registry);
    return vertx.executeBlocking(() -> {
        // the last publish goes to the spool, to be delivered on the next start
        registry.close();
        return null;
      })
      .compose(closed -> shipper.stop().timeout(10, java.util.concurrent.TimeUnit.SECONDS).recover(slow -> Future.succeededFuture()))
      .compose(stopped -> vertx.executeBlocking(() -> {
        spool.close();
        cloudWatch.close();
        return null;
      }));
  }

  /** Called with every gap in the metrics (also logged). */
  public void onGap(Consumer<Gap> listener) {
    gapListeners.add(listener);
  }

  /** Counts datums the spool dropped; the spool keeps the gap, reported when delivery resumes. */
  private void countDropped(DiskSpool.Dropped dropped) {
    droppedDatums.increment(dropped.count());
    LOG.warn("The metrics spool is full: dropped {} datums from {} to {}", dropped.count(),
      Instant.ofEpochMilli(dropped.fromTimestamp()), Instant.ofEpochMilli(dropped.toTimestamp()));
  }

  private void reportGap(Gap gap) {
    LOG.warn("Gap in the metrics sent to CloudWatch: {}", gap);
    gapListeners.forEach(listener -> listener.accept(gap));
  }

  private static CloudWatchConfig config(Settings settings) {
    return new CloudWatchConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public String namespace() {
        return settings.namespace();
      }

      @Override
      public Duration step() {
        return settings.step();
      }

      @Override
      public int batchSize() {
        return DATUMS_PER_CALL;
      }
    };
  }

  /** Delivers spooled datums, at most 1,000 per PutMetricData, dropping (and reporting) those CloudWatch would refuse as too old. */
  private final class Sender implements SpoolShipper.Sender {

    @Override
    public int fit(List<DiskSpool.Record> candidates) {
      return Math.min(candidates.size(), DATUMS_PER_CALL);
    }

    @Override
    public Future<Integer> send(List<DiskSpool.Record> batch, DiskSpool.Dropped spoolGap) {
      if (spoolGap != null) {
        reportGap(new Gap("metrics", spoolGap.count(), Instant.ofEpochMilli(spoolGap.fromTimestamp()),
          Instant.ofEpochMilli(spoolGap.toTimestamp()), "the metrics spool was full"));
      }
      AgeSplit split = AgeSplit.of(batch, MAX_AGE);
      List<MetricDatum> datums = new ArrayList<>(split.fresh().size());
      for (DiskSpool.Record record : split.fresh()) {
        datums.add(MetricDatumCodec.decode(record.payload()));
      }
      if (split.tooOld() > 0) {
        droppedDatums.increment(split.tooOld());
        reportGap(split.gap("metrics", "older than CloudWatch accepts (two weeks)"));
      }
      if (datums.isEmpty()) {
        return Future.succeededFuture(batch.size());
      }
      PutMetricDataRequest request = PutMetricDataRequest.builder().namespace(settings.namespace()).metricData(datums).build();
      return Future.fromCompletionStage(cloudWatch.putMetricData(request), vertx.getOrCreateContext()).map(done -> batch.size());
    }
  }
}
