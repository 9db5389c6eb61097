package space.mission.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.health.MissionHealth;
import space.mission.runtime.metrics.CloudWatchMetrics;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.monitor.logs.CloudWatchLogsSink;
import space.mission.monitor.logs.JsonLinesFileSink;
import space.mission.monitor.logs.LogSink;
import space.mission.monitor.sample.HostSampler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The Resource Monitor. On a fixed-rate tick it samples the host on a worker (OSHI blocks), then
 * publishes the reading on {@code mission.monitor.reading}, updates the gauges and writes the log
 * line. A tick that finds the previous sample still running is skipped and counted, so a slow
 * sample never shifts the schedule. Nothing on the bus path waits for CloudWatch: alerts keep
 * working while AWS is unreachable.
 */
public final class MonitorVerticle extends VerticleBase {

  public static final String ROLE = "monitor";

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  private final Clock clock;
  private MonitorSettings settings;
  private HostSampler sampler;
  private ReadingGauges gauges;
  private LogSink sink;
  private CloudWatchMetrics cloudWatchMetrics;
  private CloudWatchLogsAsyncClient logsClient;
  private Timer sampleTime;
  private Counter skipped;
  private Counter failed;
  private long timer = -1;
  private boolean sampling;
  private volatile Instant lastSample;
  private String healthCheck;

  public MonitorVerticle() {
    this(Clock.systemUTC());
  }

  public MonitorVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ConfigReader config = new ConfigReader(config());
    settings = MonitorSettings.from(config);
    MeterRegistry registry = MissionMetrics.of(vertx).registry();
    sampleTime = Timer.builder("mission.monitor.sample.duration").description("Time to take one sample of the host")
      .publishPercentiles(0.5, 0.99).register(registry);
    skipped = Counter.builder("mission.monitor.samples.skipped")
      .description("Ticks skipped because the previous sample was still running").register(registry);
    failed = Counter.builder("mission.monitor.samples.failed").description("Samples that failed").register(registry);
    return vertx.executeBlocking(() -> {
        String instance = settings.instance().isPresent() ? settings.instance().get() : InstanceId.loadOrCreate(settings.dataDir());
        String host = settings.host().orElseGet(HostSampler::hostname);
        sampler = new HostSampler(host, instance, settings.excludedFilesystemTypes(), settings.includeLoopback(), clock, settings.interval());
        // primes the samplers' counters (CPU ticks, interface bytes) too
        return sampler.sample();
      })
      .compose(first -> {
        gauges = new ReadingGauges(registry, first.host(), first.instance());
        sink = createSink(first.host(), first.instance(), registry);
        Future<Void> metrics = settings.aws().enabled()
          ? CloudWatchMetrics.acquire(vertx, CloudWatchMetrics.Settings.from(config)).map(acquired -> {
              cloudWatchMetrics = acquired;
              return null;
            })
          : Future.succeededFuture();
        return Future.all(sink.start(), metrics).map(first);
      })
      .onSuccess(first -> {
        if (cloudWatchMetrics != null) {
          cloudWatchMetrics.onGap(sink::write);
        }
        healthCheck = MissionHealth.register(vertx, ROLE, "sampling", deploymentID(), 1000, promise -> promise.complete(samplingHealth()));
        timer = vertx.setPeriodic(0, settings.interval().toMillis(), id -> tick());
        LOG.info("Monitoring {} as instance {} every {}", first.host(), first.instance(), settings.interval());
      });
  }

  private LogSink createSink(String host, String instance, MeterRegistry registry) {
    if (!settings.aws().enabled()) {
      return new JsonLinesFileSink(vertx, settings.dataDir(), settings.localLogMaxFileBytes(), settings.localLogKeepFiles());
    }
    logsClient = AwsClients.async(CloudWatchLogsAsyncClient.builder(), settings.aws(), AwsSettings.Service.LOGS);
    return new CloudWatchLogsSink(vertx, logsClient, settings.logGroup(), host + "/" + instance,
      settings.dataDir().resolve("spool").resolve("logs"), settings.spoolMaxBytes(), settings.flushInterval(), registry);
  }

  private void tick() {
    if (sampling) {
      skipped.increment();
      return;
    }
    sampling = true;
    long started = System.nanoTime();
    vertx.executeBlocking(sampler::sample, false).onComplete(result -> {
      sampling = false;
      sampleTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      if (result.failed()) {
        failed.increment();
        LOG.warn("Sampling the host failed: {}", result.cause().getMessage());
        return;
      }
      ResourceReading reading = result.result();
      lastSample = clock.instant();
      vertx.eventBus().publish(Addresses.MONITOR_READING, reading.toJson());
      gauges.update(reading);
      sink.write(reading);
    });
  }

  /** Ready while samples keep coming: the last one is no older than three intervals. */
  private Status samplingHealth() {
    Instant last = lastSample;
    JsonObject data = new JsonObject().put("interval", settings.interval().toString());
    if (last == null) {
      return Status.KO(data.put("reason", "no sample yet"));
    }
    Duration age = Duration.between(last, clock.instant());
    data.put("lastSampleAgeMillis", age.toMillis());
    return age.compareTo(settings.interval().multipliedBy(3)) <= 0 ? Status.OK(data) : Status.KO(data);
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    Future<Void> metrics = cloudWatchMetrics == null ? Future.succeededFuture() : cloudWatchMetrics.release();
    Future<Void> logs = sink == null ? Future.succeededFuture() : sink.stop();
    return Future.join(metrics, logs).eventually(() -> {
      if (logsClient != null) {
        logsClient.close();
      }
      return Future.succeededFuture();
    });
  }
}
