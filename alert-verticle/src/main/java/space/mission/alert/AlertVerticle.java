package space.mission.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
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
import space.mission.alert.engine.Change;
import space.mission.alert.engine.Outcome;
import space.mission.alert.logs.CloudWatchLogTail;
import space.mission.alert.logs.LocalLogTail;
import space.mission.alert.logs.LogTail;
import space.mission.alert.query.AlertQueryService;
import space.mission.alert.rules.LogRule;
import space.mission.alert.rules.RuleParser;
import space.mission.alert.rules.RuleSet;
import space.mission.alert.store.AlertStore;
import space.mission.common.aws.AwsClients;
import space.mission.common.aws.AwsSettings;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusUpdate;
import space.mission.common.cluster.SingletonLease;
import space.mission.common.db.StatementFailures;
import space.mission.common.config.ConfigReader;
import space.mission.common.db.Databases;
import space.mission.common.db.Migrations;
import space.mission.common.health.MissionHealth;
import space.mission.common.metrics.MissionMetrics;
import space.mission.common.spool.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Alert System. Readings, status updates and log matches drive the {@link AlertEngine} (in
 * memory, on this verticle's context); what it decides is published on {@code mission.alert.event}
 * at once, then committed to MySQL (alert state, history, silences and the notification outbox, in
 * one transaction, in order), and the outbox is sent to SNS (AWS mode) or the log (local mode).
 * Operators query and act through {@code mission.alert.query}.
 */
public final class AlertVerticle extends VerticleBase {

  public static final String ROLE = "alert";

  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);
  private static final int MAX_UNCOMMITTED = 10_000;

  /** A decision waiting for the database, with the newest status update applied before it was made. */
  private record Pending(Outcome outcome, Promise<Void> committed, long statusWatermark) {
  }

  private static final int REPLAY_PAGE = Addresses.STATUS_SINCE_MAX_LIMIT;

  private final Clock clock;
  private AlertSettings settings;
  private Pool pool;
  /** Per mission/subsystem, the id of the newest status update applied. */
  private final Map<String, Long> newestStatusApplied = new HashMap<>();
  /** The newest status update applied, and the newest one committed decisions cover (the status watermark). */
  private long statusApplied;
  private long statusCommitted;
  /** Set while updates recorded since the watermark are replayed; live updates wait in {@link #heldDuringReplay}. */
  private boolean replaying;
  private final List<StatusUpdate> heldDuringReplay = new ArrayList<>();
  private Long restoredWatermark;
  private AlertStore store;
  private AlertEngine engine;
  private OutboxDispatcher dispatcher;
  private CloudWatchLogsAsyncClient logsClient;
  private final List<LogTail> tails = new ArrayList<>();
  private final ArrayDeque<Pending> uncommitted = new ArrayDeque<>();
  private final Backoff commitBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
  private final Backoff replayBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  private boolean committing;
  private boolean leaseLost;
  private Promise<Void> drained;
  private Counter lostOutcomes;
  private Counter refusedWrites;
  private Counter readingsEvaluated;
  private Gauge uncommittedGauge;
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
    lostOutcomes = Counter.builder("mission.alert.uncommitted.dropped")
      .description("Alert decisions dropped because the database was down too long").register(registry);
    refusedWrites = Counter.builder("mission.alert.writes.refused")
      .description("Alert decisions dropped because the database refused their data for good").register(registry);
    readingsEvaluated = Counter.builder("mission.alert.readings").description("Readings evaluated against the rules").register(registry);
    uncommittedGauge = Gauge.builder("mission.alert.uncommitted", uncommitted, ArrayDeque::size)
      .description("Alert decisions waiting for the database").register(registry);
    return vertx.executeBlocking(() -> RuleParser.read(settings.rulesFile(), settings.rules()))
      .compose(rules -> Migrations.migrate(vertx, settings.database().url(), ROLE).map(rules))
      .compose(rules -> {
        pool = Databases.pool(vertx, settings.database(), ROLE);
        store = new AlertStore(pool, SingletonLease.Fence.fromJson(config().getJsonObject(SingletonLease.FENCE_CONFIG)));
        engine = new AlertEngine(rules, clock, settings.groupWait(), settings.repeatInterval(), settings.aws().enabled());
        return store.load(clock.instant()).map(restored -> {
          engine.restore(restored.alerts(), restored.silences(), restored.monitors(), restored.backups());
          restoredWatermark = restored.statusWatermark();
          if (restoredWatermark != null) {
            statusApplied = restoredWatermark;
            statusCommitted = restoredWatermark;
          }
          LOG.info("Alert rules: {} on readings, {} on logs{}{}; {} active alerts restored", rules.readings().size(), rules.logs().size(),
            rules.missingMonitor().isPresent() ? ", missing monitors" : "", rules.status().isPresent() ? ", mission status" : "",
            restored.alerts().size());
          return rules;
        });
      })
      .compose(rules -> {
        dispatcher = new OutboxDispatcher(vertx, store, notifier(), clock, settings.outboxPollInterval(), settings.outboxMaxPending(), registry,
          this::leaseLost);
        dispatcher.start();
        AlertQueryService queries = new AlertQueryService(engine, store, clock, this::commit);
        MessageConsumer<JsonObject> readings = vertx.eventBus().consumer(Addresses.MONITOR_READING, message -> {
          if (leaseLost) {
            return;
          }
          engine.onReading(ResourceReading.fromJson(message.body()));
          readingsEvaluated.increment();
          afterInput();
        });
        MessageConsumer<JsonObject> updates = vertx.eventBus().consumer(Addresses.STATUS_UPDATE,
          message -> onStatusUpdate(StatusUpdate.fromJson(message.body())));
        MessageConsumer<JsonObject> backups = vertx.eventBus().consumer(Addresses.BACKUP_EVENT, message -> {
          if (leaseLost) {
            return;
          }
          engine.onBackupEvent(BackupEvent.fromJson(message.body()));
          afterInput();
        });
        MessageConsumer<Object> query = vertx.eventBus().consumer(Addresses.ALERT_QUERY, queries::handle);
        ticker = vertx.setPeriodic(settings.tick().toMillis(), id -> {
          if (leaseLost) {
            return;
          }
          engine.tick();
          afterInput();
          advanceWatermark();
        });
        heartbeats = vertx.setPeriodic(settings.heartbeatInterval().toMillis(), id -> saveHeartbeats());
        healthCheck = MissionHealth.register(vertx, ROLE, "database", deploymentID(), settings.database().connectTimeout().toMillis() + 1500,
          promise -> pool.query("SELECT 1").execute().onComplete(probe -> promise.complete(probe.succeeded() ? Status.OK()
            : Status.KO(new JsonObject().put("error", String.valueOf(probe.cause().getMessage()))))));
        return Future.all(List.of(readings.completion(), updates.completion(), backups.completion(), query.completion(),
          startTails(rules, registry)));
      })
      .onSuccess(started -> catchUpOnStatus());
  }

  /**
   * Updates published while no alert role listened (a failover, a restart) would otherwise be
   * missed. With a status watermark (the newest update committed decisions cover), every update
   * recorded after it is asked of the status role and replayed in order, so a fire-and-resolve
   * pair inside the takeover window is decided and told as it would have been; live updates wait
   * until the replay is done. On the very first start there is no watermark: the newest update of
   * every subsystem is applied instead.
   */
  private void catchUpOnStatus() {
    if (restoredWatermark != null) {
      replaying = true;
      replayAfter(restoredWatermark, 0);
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.STATUS_LATEST, new JsonObject().put("v", 1), new DeliveryOptions().setSendTimeout(10_000))
      .onSuccess(reply -> {
        JsonArray latest = reply.body().getJsonArray("updates");
        for (int i = 0; i < latest.size(); i++) {
          onStatusUpdate(StatusUpdate.fromJson(latest.getJsonObject(i)));
        }
        LOG.info("Caught up on the newest status of {} subsystems", latest.size());
      })
      .onFailure(failure -> LOG.info("No status role answered ({}); status alerts follow new updates", failure.getMessage()));
  }

  private void replayAfter(long after, int replayed) {
    vertx.eventBus().<JsonObject>request(Addresses.STATUS_SINCE, new JsonObject().put("v", 1).put("after", after).put("limit", REPLAY_PAGE),
        new DeliveryOptions().setSendTimeout(10_000))
      .onSuccess(reply -> {
        if (leaseLost) {
          return;
        }
        JsonArray page = reply.body().getJsonArray("updates");
        long last = after;
        for (int i = 0; i < page.size(); i++) {
          StatusUpdate update = StatusUpdate.fromJson(page.getJsonObject(i));
          apply(update);
          // each replayed change is told as it happened, not folded into a group with what followed it
          engine.sendGroupsNow();
          afterInput();
          last = update.id();
        }
        if (page.size() == REPLAY_PAGE) {
          replayAfter(last, replayed + page.size());
        } else {
          finishReplay(replayed + page.size());
        }
      })
      .onFailure(failure -> {
        // live updates must not wait on a status role that is not there: they flow, and the replay is tried again
        Duration wait = replayBackoff.nextDelay();
        if (replayBackoff.failures() == 1) {
          LOG.warn("No status role answered the replay after update {} ({}); live updates go on, the replay is retried",
            after, failure.getMessage());
        }
        releaseHeld();
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
          if (!leaseLost) {
            replaying = true;
            replayAfter(after, replayed);
          }
        });
      });
  }

  private void releaseHeld() {
    replaying = false;
    heldDuringReplay.sort(Comparator.comparingLong(StatusUpdate::id));
    List<StatusUpdate> held = List.copyOf(heldDuringReplay);
    heldDuringReplay.clear();
    held.forEach(this::onStatusUpdate);
  }

  private void finishReplay(int replayed) {
    LOG.info("Replayed {} status updates recorded after update {}", replayed, restoredWatermark);
    replayBackoff.reset();
    releaseHeld();
  }

  /** A live update: applied at once, or held while a replay runs (it may be one the replay also brings). */
  private void onStatusUpdate(StatusUpdate update) {
    if (leaseLost) {
      return;
    }
    if (replaying) {
      heldDuringReplay.add(update);
      return;
    }
    apply(update);
    afterInput();
  }

  /** Applies an update unless a newer one of its subsystem was applied already (live and catch-up ones may cross). */
  private void apply(StatusUpdate update) {
    String subsystem = update.missionId() + "/" + update.subsystem();
    Long applied = newestStatusApplied.get(subsystem);
    if (applied != null && applied >= update.id()) {
      return;
    }
    newestStatusApplied.put(subsystem, update.id());
    statusApplied = Math.max(statusApplied, update.id());
    engine.onStatusUpdate(update);
  }

  /**
   * Updates that changed nothing make no decision to carry the watermark; once a tick finds the
   * queue empty, the watermark alone is committed, so a takeover replays only seconds of them.
   */
  private void advanceWatermark() {
    if (!replaying && uncommitted.isEmpty() && statusApplied > statusCommitted) {
      uncommitted.add(new Pending(new Outcome(List.of(), List.of(), List.of()), Promise.promise(), statusApplied));
      commitNext();
    }
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
        tails.add(new CloudWatchLogTail(vertx, logsClient, store, rule, this::logMatch, settings.tailPollInterval(), settings.tailLookback(),
          clock, registry));
      }
    } else {
      Map<String, List<LogRule>> byStream = new LinkedHashMap<>();
      rules.logs().forEach(rule -> byStream.computeIfAbsent(rule.stream(), stream -> new ArrayList<>()).add(rule));
      byStream.forEach((stream, streamRules) -> tails.add(new LocalLogTail(vertx, store, settings.dataDir(), stream, streamRules,
        this::logMatch, settings.localTailPollInterval(), clock, registry)));
    }
    return Future.all(tails.stream().map(LogTail::start).toList());
  }

  private void logMatch(LogRule rule, long timestamp) {
    if (leaseLost) {
      return;
    }
    engine.onLogMatch(rule, timestamp);
    afterInput();
  }

  /** Publishes what the engine decided and queues it for the database; nothing here waits. */
  private void afterInput() {
    enqueue(engine.drain());
    engine.backupWatchToSave().ifPresent(watch -> store.saveBackupWatch(watch)
      .onFailure(failure -> LOG.warn("Could not save the newest verified backup's time ({}); it is saved again at the next change",
        failure.getMessage())));
  }

  /** For operator actions: completes once what they changed is committed. */
  private Future<Void> commit() {
    Outcome outcome = engine.drain();
    return outcome.isEmpty() ? Future.succeededFuture() : enqueue(outcome);
  }

  private Future<Void> enqueue(Outcome outcome) {
    if (leaseLost) {
      return Future.failedFuture("this instance no longer holds the alert role's lease");
    }
    if (outcome.isEmpty()) {
      return Future.succeededFuture();
    }
    for (Change change : outcome.changes()) {
      if (change.published()) {
        vertx.eventBus().publish(Addresses.ALERT_EVENT, change.alert().event().toJson());
      }
    }
    Promise<Void> committed = Promise.promise();
    uncommitted.add(new Pending(outcome, committed, statusApplied));
    if (uncommitted.size() > MAX_UNCOMMITTED) {
      Pending lost = uncommitted.poll();
      lostOutcomes.increment();
      lost.committed().tryFail("dropped: the database was unavailable for too long");
      LOG.error("The database has been unavailable too long: an alert decision was dropped ({} changes, {} notifications)",
        lost.outcome().changes().size(), lost.outcome().notifications().size());
    }
    commitNext();
    return committed.future();
  }

  /** Commits decisions one at a time, in order; while the database is down, retries the oldest with backoff. */
  private void commitNext() {
    if (committing || uncommitted.isEmpty()) {
      return;
    }
    committing = true;
    Pending next = uncommitted.peek();
    store.persist(next.outcome(), clock.instant(), next.statusWatermark()).onComplete(result -> {
      committing = false;
      if (result.succeeded()) {
        uncommitted.poll();
        statusCommitted = Math.max(statusCommitted, next.statusWatermark());
        if (commitBackoff.failures() > 0) {
          LOG.info("Committing alert changes works again after {} failed attempts; {} decisions still wait", commitBackoff.failures(),
            uncommitted.size());
        }
        commitBackoff.reset();
        dispatcher.enqueue(result.result());
        next.committed().tryComplete();
        if (uncommitted.isEmpty() && drained != null) {
          drained.tryComplete();
        }
        commitNext();
      } else if (result.cause() instanceof SingletonLease.LeaseLostException) {
        leaseLost();
      } else if (StatementFailures.isPermanent(result.cause())) {
        uncommitted.poll();
        refused(next, result.cause());
        commitNext();
      } else {
        next.committed().tryFail(result.cause());
        Duration wait = commitBackoff.nextDelay();
        if (commitBackoff.failures() == 1) {
          LOG.warn("Committing alert changes failed ({}); {} decisions wait, retrying", StatementFailures.message(result.cause()),
            uncommitted.size());
        }
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> commitNext());
      }
    });
  }

  /**
   * The database refused {@code pending} for good (retrying cannot cure it): a decision of several
   * parts goes back to the head of the queue as one decision per part, so only the parts that
   * cannot be stored are lost; a single part is dropped, logged, counted and raised as an alert.
   */
  private void refused(Pending pending, Throwable cause) {
    Outcome outcome = pending.outcome();
    if (outcome.size() > 1) {
      List<Pending> parts = new ArrayList<>();
      List<Outcome> pieces = outcome.pieces();
      for (int i = 0; i < pieces.size(); i++) {
        // only the last part moves the watermark: until it commits, a takeover replays the whole decision
        parts.add(new Pending(pieces.get(i), Promise.promise(), i == pieces.size() - 1 ? pending.statusWatermark() : 0));
      }
      Future.join(parts.stream().map(part -> part.committed().future()).toList())
        .onComplete(all -> pending.committed().handle(all.mapEmpty()));
      for (int i = parts.size() - 1; i >= 0; i--) {
        uncommitted.addFirst(parts.get(i));
      }
      return;
    }
    refusedWrites.increment();
    pending.committed().tryFail(cause);
    String error = StatementFailures.message(cause);
    boolean aboutRefusals = outcome.changes().stream().anyMatch(change -> AlertEngine.WRITE_REFUSED_RULE.equals(change.alert().rule()));
    LOG.error("The database refused an alert decision for good and it is dropped ({}): {}", describe(outcome), error);
    if (!aboutRefusals) {
      // the alert about refusals carries only our own, bounded text; should even it be refused, it is not raised again
      engine.onWriteRefused(error);
      afterInput();
    }
  }

  private static String describe(Outcome outcome) {
    if (!outcome.changes().isEmpty()) {
      Change change = outcome.changes().get(0);
      return change.event().stored() + " of alert " + change.alert().fingerprint() + " (rule " + change.alert().rule() + ")";
    }
    if (!outcome.silences().isEmpty()) {
      return "silence " + outcome.silences().get(0).id();
    }
    return "notification " + outcome.notifications().get(0).dedupId();
  }

  /**
   * Another instance holds the lease now (this one was paused or cut off past the lease's TTL): it
   * acts from here on, so this one stops at once and drops what it decided but did not commit; the
   * lease's holder undeploys it at its next renewal.
   */
  private void leaseLost() {
    if (leaseLost) {
      return;
    }
    leaseLost = true;
    LOG.warn("Alert role lost its lease: dropping {} uncommitted decisions and stopping; the new holder decides from the database",
      uncommitted.size());
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(heartbeats);
    uncommitted.forEach(pending -> pending.committed().tryFail("this instance no longer holds the alert role's lease"));
    uncommitted.clear();
    if (drained != null) {
      drained.tryComplete();
    }
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
    if (uncommittedGauge != null) {
      // a gauge holds this instance's queue: a later deployment in this Vert.x registers its own
      MissionMetrics.of(vertx).registry().remove(uncommittedGauge);
    }
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    if (engine != null) {
      enqueue(engine.drain());
    }
    Future<Void> committed;
    if (uncommitted.isEmpty()) {
      committed = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      committed = drained.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .onFailure(slow -> LOG.warn("Stopping with {} alert decisions not committed", uncommitted.size()));
    }
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
