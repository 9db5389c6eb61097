package space.mission.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import space.mission.alert.delivery.LogNotifier;
import space.mission.alert.delivery.Notifier;
import space.mission.alert.delivery.OutboxDispatcher;
import space.mission.alert.delivery.SnsNotifier;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.logs.CloudWatchLogTail;
import space.mission.alert.logs.LocalLogTail;
import space.mission.alert.logs.LogTail;
import space.mission.alert.query.AlertQueryService;
import space.mission.alert.rules.LogRule;
import space.mission.alert.rules.RuleParser;
import space.mission.alert.rules.RuleSet;
import space.mission.alert.store.AlertStore;
import space.mission.runtime.aws.AwsClients;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.bus.Addresses;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.Databases;
import space.mission.runtime.db.Migrations;
import space.mission.runtime.health.MissionHealth;
import space.mission.runtime.metrics.MissionMetrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Alert System, wired: the bus consumers ({@link AlertBusConsumers}) and the log tails hand
 * every input to the {@link AlertDecider}, which runs the {@link AlertEngine} (in memory, on this
 * verticle's context), publishes what it decided on {@code mission.alert.event} at once and queues
 * it for MySQL ({@link CommitQueue}: alert state, history, silences and the notification outbox, in
 * one transaction, in order); the queue hands each commit to the {@link OutboxDispatcher}, which
 * sends it to SNS (AWS mode) or the log (local mode). Operators query and act through
 * {@code mission.alert.query}. This class builds the parts, starts them, and stops them.
 */
public final class AlertVerticle extends VerticleBase {

  public static final String ROLE = "alert";

  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);

  private final Clock clock;
  private AlertSettings settings;
  private Pool pool;
  private AlertStore store;
  private AlertEngine engine;
  private OutboxDispatcher dispatcher;
  private CommitQueue queue;
  private AlertDecider decider;
  private CloudWatchLogsAsyncClient logsClient;
  private final List<LogTail> tails = new ArrayList<>();
  private long ticker = -1;
  private long heartbeats = -1;
  private Instant heartbeatsSavedAt = Instant.EPOCH;
  private String healthCheck;

  public AlertVerticle() {
    this(Clock.systemUTC());
  }

  /** With a controllable clock, for tests of time-driven rules. */
  public AlertVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ConfigReader config = new ConfigReader(config());
    settings = AlertSettings.from(config);
    MeterRegistry registry = MissionMetrics.of(vertx).registry();
    return vertx.executeBlocking(() -> RuleParser.read(settings.rulesFile(), settings.rules()))
      .compose(rules -> Migrations.migrate(vertx, settings.database().url(), ROLE).map(rules))
      .compose(rules -> {
        pool = Databases.pool(vertx, settings.database(), ROLE);
        store = new AlertStore(pool, SingletonLease.Fence.fromJson(config().getJsonObject(SingletonLease.FENCE_CONFIG)));
        engine = new AlertEngine(rules, clock, settings.groupWait(), settings.repeatInterval(), settings.aws().enabled());
        return store.load(clock.instant()).compose(restored -> {
          engine.restore(restored.alerts(), restored.silences(), restored.monitors(), restored.backups());
          LOG.info("Alert rules: {} on readings, {} on logs{}{}; {} active alerts restored", rules.readings().size(), rules.logs().size(),
            rules.missingMonitor().isPresent() ? ", missing monitors" : "", rules.status().isPresent() ? ", mission status" : "",
            restored.alerts().size());
          return wire(rules, restored.statusWatermark(), registry);
        });
      });
  }

  /** Builds the path input → engine → store → outbox → notifier, then opens it to the bus, the tails and the clock. */
  private Future<?> wire(RuleSet rules, Long restoredWatermark, MeterRegistry registry) {
    long watermark = restoredWatermark == null ? 0 : restoredWatermark;
    dispatcher = new OutboxDispatcher(vertx, store, notifier(), clock, settings.outboxPollInterval(), settings.outboxMaxPending(), registry,
      this::leaseLost);
    dispatcher.start();
    // the queue tells a refusal to the decider, built just below: refusals come from commits, which start only after both exist
    queue = new CommitQueue(vertx, store, dispatcher, clock, registry, watermark, this::leaseLost, error -> decider.onWriteRefused(error));
    decider = new AlertDecider(engine, queue, store, vertx.eventBus(), registry, watermark);
    StatusCatchUp catchUp = new StatusCatchUp(vertx, decider, restoredWatermark);
    AlertQueryService queries = new AlertQueryService(engine, store, clock, decider::commit);
    MessageConsumer<Object> query = vertx.eventBus().consumer(Addresses.ALERT_QUERY, queries::handle);
    ticker = vertx.setPeriodic(settings.tick().toMillis(), id -> {
      decider.tick();
      catchUp.advanceWatermark();
    });
    heartbeats = vertx.setPeriodic(settings.heartbeatInterval().toMillis(), id -> saveHeartbeats());
    healthCheck = MissionHealth.registerDatabase(vertx, ROLE, deploymentID(), settings.database().connectTimeout(),
      () -> pool.query("SELECT 1").execute());
    return Future.all(List.of(new AlertBusConsumers(vertx.eventBus(), decider, catchUp, registry).register(), query.completion(),
        startTails(rules, registry)))
      .onSuccess(started -> catchUp.start());
  }

  private Notifier notifier() {
    if (!settings.aws().enabled()) {
      return new LogNotifier(settings.publicUrl());
    }
    return new SnsNotifier(AwsClients.async(SnsAsyncClient.builder(), settings.aws(), AwsSettings.Service.SNS), settings.topicArn().get(), settings.publicUrl(), context);
  }

  private Future<?> startTails(RuleSet rules, MeterRegistry registry) {
    if (rules.logs().isEmpty()) {
      return Future.succeededFuture();
    }
    if (settings.aws().enabled()) {
      logsClient = AwsClients.async(CloudWatchLogsAsyncClient.builder(), settings.aws(), AwsSettings.Service.LOGS);
      for (LogRule rule : rules.logs()) {
        tails.add(new CloudWatchLogTail(vertx, logsClient, store, rule, decider::onLogMatch, settings.tailPollInterval(), settings.tailLookback(),
          clock, registry));
      }
    } else {
      Map<String, List<LogRule>> byStream = new LinkedHashMap<>();
      rules.logs().forEach(rule -> byStream.computeIfAbsent(rule.stream(), stream -> new ArrayList<>()).add(rule));
      byStream.forEach((stream, streamRules) -> tails.add(new LocalLogTail(vertx, store, settings.dataDir(), stream, streamRules,
        decider::onLogMatch, settings.localTailPollInterval(), clock, registry)));
    }
    return Future.all(tails.stream().map(LogTail::start).toList());
  }

  /**
   * Another instance holds the lease now (this one was paused or cut off past the lease's TTL): it
   * acts from here on, so this one stops at once and drops what it decided but did not commit; the
   * lease's holder undeploys it at its next renewal.
   */
  private void leaseLost() {
    if (decider.stopped()) {
      return;
    }
    decider.stop();
    LOG.warn("Alert role lost its lease: dropping {} uncommitted decisions and stopping; the new holder decides from the database",
      queue.size());
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(heartbeats);
    queue.dropAll();
    dispatcher.stop();
  }

  private void saveHeartbeats() {
    Instant since = heartbeatsSavedAt;
    List<AlertEngine.MonitorSeen> changed = engine.monitors().stream().filter(monitor -> monitor.lastSeen().isAfter(since)).toList();
    Instant now = clock.instant();
    store.saveMonitors(changed).onSuccess(done -> heartbeatsSavedAt = now);
  }

  /** Stops taking input, commits what was decided (for up to 10 s), then lets go of the database. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(heartbeats);
    if (queue != null) {
      queue.close();
    }
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    if (decider != null) {
      decider.flush();
    }
    Future<Void> committed = queue == null ? Future.succeededFuture() : queue.drained(10);
    return committed.transform(done -> Future.join(tails.stream().map(LogTail::stop).toList()))
      .eventually(() -> {
        if (dispatcher != null) {
          dispatcher.stop();
        }
        if (logsClient != null) {
          logsClient.close();
        }
        return pool == null ? Future.succeededFuture() : pool.close();
      });
  }
}
