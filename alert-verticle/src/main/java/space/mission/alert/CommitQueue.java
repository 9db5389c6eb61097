package space.mission.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.delivery.OutboxDispatcher;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.engine.Change;
import space.mission.alert.engine.Outcome;
import space.mission.alert.store.AlertStore;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.db.StatementFailures;
import space.mission.runtime.spool.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The engine's decisions on their way to the database: committed one at a time and in order (a
 * later decision may build on an earlier one), each committed batch of notifications handed at
 * once to the {@link OutboxDispatcher}. While the database is down the oldest is retried with
 * backoff and the rest wait, up to {@value #MAX_UNCOMMITTED} decisions; past that the oldest is
 * dropped, so a long outage costs memory within a bound. Runs on the alert verticle's context only.
 */
final class CommitQueue {

  private static final Logger LOG = LoggerFactory.getLogger(CommitQueue.class);
  private static final int MAX_UNCOMMITTED = 10_000;

  /** A decision waiting for the database, with the newest status update applied before it was made. */
  private record Pending(Outcome outcome, Promise<Void> committed, long statusWatermark) {
  }

  private final Vertx vertx;
  private final AlertStore store;
  private final OutboxDispatcher dispatcher;
  private final Clock clock;
  private final Runnable leaseLost;
  private final Consumer<String> refusedForGood;
  private final MeterRegistry registry;
  private final ArrayDeque<Pending> uncommitted = new ArrayDeque<>();
  private final Backoff commitBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
  private final Counter lostOutcomes;
  private final Counter refusedWrites;
  private final Gauge uncommittedGauge;
  private boolean committing;
  private Promise<Void> drained;
  /** The newest status update that committed decisions cover: a takeover replays the updates after it. */
  private long statusCommitted;

  /**
   * @param leaseLost      called when a commit finds that another instance holds the alert role's lease
   * @param refusedForGood called with the database's error when a decision was dropped because it can never be stored
   */
  CommitQueue(Vertx vertx, AlertStore store, OutboxDispatcher dispatcher, Clock clock, MeterRegistry registry, long statusCommitted,
              Runnable leaseLost, Consumer<String> refusedForGood) {
    this.vertx = vertx;
    this.store = store;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.registry = registry;
    this.statusCommitted = statusCommitted;
    this.leaseLost = leaseLost;
    this.refusedForGood = refusedForGood;
    lostOutcomes = Counter.builder("mission.alert.uncommitted.dropped")
      .description("Alert decisions dropped because the database was down too long").register(registry);
    refusedWrites = Counter.builder("mission.alert.writes.refused")
      .description("Alert decisions dropped because the database refused their data for good").register(registry);
    uncommittedGauge = Gauge.builder("mission.alert.uncommitted", uncommitted, ArrayDeque::size)
      .description("Alert decisions waiting for the database").register(registry);
  }

  /** Queues {@code outcome}, made after status update {@code statusWatermark}; completes once it is committed. Nothing here waits. */
  Future<Void> add(Outcome outcome, long statusWatermark) {
    Promise<Void> committed = Promise.promise();
    uncommitted.add(new Pending(outcome, committed, statusWatermark));
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

  /**
   * Updates that changed nothing make no decision to carry the watermark; once the queue is empty,
   * the watermark alone is committed, so a takeover replays only seconds of them.
   */
  void commitWatermark(long statusApplied) {
    if (uncommitted.isEmpty() && statusApplied > statusCommitted) {
      uncommitted.add(new Pending(new Outcome(List.of(), List.of(), List.of()), Promise.promise(), statusApplied));
      commitNext();
    }
  }

  int size() {
    return uncommitted.size();
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
        leaseLost.run();
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
      refusedForGood.accept(error);
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

  /** Another instance decides from here on: what waits is dropped (its askers told why), and a stop waiting for the queue goes on. */
  void dropAll() {
    uncommitted.forEach(pending -> pending.committed().tryFail("this instance no longer holds the alert role's lease"));
    uncommitted.clear();
    if (drained != null) {
      drained.tryComplete();
    }
  }

  /** Completes once every queued decision is committed, or after {@code timeout} (logged) with some still waiting. */
  Future<Void> drained(long timeoutSeconds) {
    if (uncommitted.isEmpty()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future().timeout(timeoutSeconds, TimeUnit.SECONDS)
      .onFailure(slow -> LOG.warn("Stopping with {} alert decisions not committed", uncommitted.size()));
  }

  /** Lets go of the gauge: it holds this queue, and a later deployment in this Vert.x registers its own. */
  void close() {
    registry.remove(uncommittedGauge);
  }
}
