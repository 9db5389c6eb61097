package space.mission.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.engine.Change;
import space.mission.alert.engine.Outcome;
import space.mission.alert.rules.LogRule;
import space.mission.alert.store.AlertStore;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusUpdate;

import java.util.HashMap;
import java.util.Map;

/**
 * The one way into the {@link AlertEngine} and out of it: every input (a reading, a status update,
 * a backup event, a log match, a tick) is handed to the engine, and what it decided is published on
 * {@code mission.alert.event} at once, then queued for the database ({@link CommitQueue}), from
 * where the outbox sends it. Once the lease is lost it takes no input and queues nothing. Runs on
 * the alert verticle's context only.
 */
final class AlertDecider {

  private static final Logger LOG = LoggerFactory.getLogger(AlertDecider.class);

  private final AlertEngine engine;
  private final CommitQueue queue;
  private final AlertStore store;
  private final EventBus bus;
  private final Counter readingsEvaluated;
  /** Per mission/subsystem, the id of the newest status update applied. */
  private final Map<String, Long> newestStatusApplied = new HashMap<>();
  /** The newest status update applied: each decision carries it, so a committed decision moves the status watermark. */
  private long statusApplied;
  private boolean stopped;

  AlertDecider(AlertEngine engine, CommitQueue queue, AlertStore store, EventBus bus, MeterRegistry registry, long statusApplied) {
    this.engine = engine;
    this.queue = queue;
    this.store = store;
    this.bus = bus;
    this.statusApplied = statusApplied;
    this.readingsEvaluated = Counter.builder("mission.alert.readings").description("Readings evaluated against the rules").register(registry);
  }

  /** Whether this instance stopped deciding (another holds the lease). */
  boolean stopped() {
    return stopped;
  }

  /** Takes no input from here on; what the engine holds is left undecided for the lease's new holder. */
  void stop() {
    stopped = true;
  }

  void onReading(ResourceReading reading) {
    if (stopped) {
      return;
    }
    engine.onReading(reading);
    readingsEvaluated.increment();
    afterInput();
  }

  void onBackupEvent(BackupEvent event) {
    if (stopped) {
      return;
    }
    engine.onBackupEvent(event);
    afterInput();
  }

  void onLogMatch(LogRule rule, long timestamp) {
    if (stopped) {
      return;
    }
    engine.onLogMatch(rule, timestamp);
    afterInput();
  }

  /** A status update as it comes (live, or the newest of a subsystem at the first start). */
  void onStatusUpdate(StatusUpdate update) {
    if (stopped) {
      return;
    }
    apply(update);
    afterInput();
  }

  /** A status update recorded while no alert role listened: told as it happened, not folded into a group with what followed it. */
  void onReplayedStatus(StatusUpdate update) {
    if (stopped) {
      return;
    }
    apply(update);
    engine.sendGroupsNow();
    afterInput();
  }

  void tick() {
    if (stopped) {
      return;
    }
    engine.tick();
    afterInput();
  }

  /** Commits the status watermark alone when nothing waits to carry it (see {@link CommitQueue#commitWatermark}). */
  void commitWatermark() {
    if (!stopped) {
      queue.commitWatermark(statusApplied);
    }
  }

  /** The database refused a decision for good: the engine says so as an alert. */
  void onWriteRefused(String error) {
    engine.onWriteRefused(error);
    afterInput();
  }

  /** For operator actions: completes once what they changed is committed. */
  Future<Void> commit() {
    Outcome outcome = engine.drain();
    return outcome.isEmpty() ? Future.succeededFuture() : enqueue(outcome);
  }

  /** At a stop: what the engine decided last goes into the queue like the rest. */
  void flush() {
    enqueue(engine.drain());
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

  /** Publishes what the engine decided and queues it for the database; nothing here waits. */
  private void afterInput() {
    enqueue(engine.drain());
    engine.backupWatchToSave().ifPresent(watch -> store.saveBackupWatch(watch)
      .onFailure(failure -> LOG.warn("Could not save the newest verified backup's time ({}); it is saved again at the next change",
        failure.getMessage())));
  }

  private Future<Void> enqueue(Outcome outcome) {
    if (stopped) {
      return Future.failedFuture("this instance no longer holds the alert role's lease");
    }
    if (outcome.isEmpty()) {
      return Future.succeededFuture();
    }
    for (Change change : outcome.changes()) {
      if (change.published()) {
        bus.publish(Addresses.ALERT_EVENT, change.alert().event().toJson());
      }
    }
    return queue.add(outcome, statusApplied);
  }
}
