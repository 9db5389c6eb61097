package space.mission.alert.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.engine.Notification;
import space.mission.alert.store.AlertStore;
import space.mission.alert.store.OutboxEntry;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.spool.Backoff;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Sends the outbox, oldest first, one notification at a time: an entry is marked sent only after
 * the notifier (SNS) accepted it, and while it fails the dispatcher waits (jittered exponential
 * backoff) and tries the same entry again, so nothing is skipped or reordered. New entries are
 * handed over straight after their commit (no polling delay on the alert path); the table is also
 * read at start and periodically, for what an earlier run left unsent.
 *
 * <p>Bounded: beyond the configured number of waiting entries, the oldest REPEAT reminders are
 * dropped (and marked so); a FIRING or RESOLVED notification is never dropped. Runs on the alert
 * verticle's context.
 */
public final class OutboxDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Vertx vertx;
  private final AlertStore store;
  private final Notifier notifier;
  private final Clock clock;
  private final Duration pollInterval;
  private final int maxPending;
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
  private final ArrayDeque<OutboxEntry> queue = new ArrayDeque<>();
  private final Set<Long> known = new HashSet<>();
  /** Sent, but the database did not take "sent" yet: never sent again, marked when it answers. */
  private final List<OutboxEntry> sentUnmarked = new ArrayList<>();
  private final Counter sent;
  private final Counter failures;
  private final Counter dropped;
  private final Timer delay;
  private final Runnable onLeaseLost;
  private boolean busy;
  private boolean polling;
  private boolean stopped;
  private long retryTimer = -1;
  private long pollTimer = -1;

  public OutboxDispatcher(Vertx vertx, AlertStore store, Notifier notifier, Clock clock, Duration pollInterval, int maxPending,
                          MeterRegistry registry) {
    this(vertx, store, notifier, clock, pollInterval, maxPending, registry, () -> { });
  }

  /** @param onLeaseLost called once when a send is refused because the role's lease was lost; the dispatcher has stopped then */
  public OutboxDispatcher(Vertx vertx, AlertStore store, Notifier notifier, Clock clock, Duration pollInterval, int maxPending,
                          MeterRegistry registry, Runnable onLeaseLost) {
    this.onLeaseLost = onLeaseLost;
    this.vertx = vertx;
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.maxPending = maxPending;
    this.sent = Counter.builder("mission.alert.notifications.sent").description("Notifications delivered").register(registry);
    this.failures = Counter.builder("mission.alert.notifications.failures").description("Failed delivery attempts (retried)").register(registry);
    this.dropped = Counter.builder("mission.alert.notifications.dropped")
      .description("REPEAT reminders dropped because the outbox was over its bound").register(registry);
    this.delay = Timer.builder("mission.alert.notifications.delay").description("From decision to delivery")
      .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("mission.alert.outbox.pending", queue, ArrayDeque::size).description("Notifications waiting to be sent").register(registry);
  }

  public void start() {
    poll();
    pollTimer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
  }

  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    queue.clear();
    known.clear();
    vertx.cancelTimer(pollTimer);
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    notifier.close();
  }

  /** Entries just committed: sent at once if nothing is ahead of them. */
  public void enqueue(List<OutboxEntry> entries) {
    for (OutboxEntry entry : entries) {
      if (!stopped && !isSentUnmarked(entry.id()) && known.add(entry.id())) {
        queue.add(entry);
      }
    }
    trim();
    kick();
  }

  private boolean isSentUnmarked(long id) {
    return sentUnmarked.stream().anyMatch(unmarked -> unmarked.id() == id);
  }

  public int pending() {
    return queue.size();
  }

  private void poll() {
    if (stopped || polling) {
      return;
    }
    markLeftovers();
    if (!queue.isEmpty()) {
      kick();
      return;
    }
    polling = true;
    store.pendingOutbox(500)
      .onComplete(result -> {
        polling = false;
        if (result.succeeded()) {
          enqueue(result.result());
        } else {
          LOG.debug("Outbox poll failed: {}", result.cause().getMessage());
        }
      });
  }

  private void kick() {
    if (busy || retryTimer >= 0 || stopped) {
      return;
    }
    OutboxEntry entry = queue.peek();
    if (entry == null) {
      return;
    }
    busy = true;
    boolean[] published = new boolean[1];
    store.sendClaimed(entry.id(), () -> notifier.send(entry).onSuccess(ok -> published[0] = true).mapEmpty(), clock::instant)
      .onComplete(result -> {
      busy = false;
      if (stopped) {
        return;
      }
      if (result.failed() && result.cause() instanceof SingletonLease.LeaseLostException) {
        LOG.warn("Outbox sender stops: {}", result.cause().getMessage());
        stop();
        onLeaseLost.run();
        return;
      }
      if (result.succeeded() || published[0]) {
        queue.poll();
        known.remove(entry.id());
        if (result.succeeded() && !result.result()) {
          // sent already, or being sent by another sender: nothing for us to do
          kick();
          return;
        }
        sent.increment();
        delay.record(Duration.between(entry.createdAt(), clock.instant()));
        if (backoff.failures() > 0) {
          LOG.info("Notifications go out again after {} failed attempts", backoff.failures());
        }
        backoff.reset();
        if (result.failed()) {
          // published, but "sent" was not committed: marked later, never sent again by us
          sentUnmarked.add(entry);
        }
        kick();
      } else {
        failures.increment();
        Duration wait = backoff.nextDelay();
        if (backoff.failures() == 1 || backoff.failures() % 20 == 0) {
          LOG.warn("Sending notification {} failed ({}); {} waiting, retrying in {} ms", entry.dedupId(),
            result.cause().getMessage(), queue.size(), wait.toMillis());
        }
        store.markFailed(entry.id(), clock.instant().plus(wait), String.valueOf(result.cause().getMessage()));
        retryTimer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
          retryTimer = -1;
          kick();
        });
      }
    });
  }

  private void markLeftovers() {
    if (sentUnmarked.isEmpty()) {
      return;
    }
    List<OutboxEntry> retry = new ArrayList<>(sentUnmarked);
    sentUnmarked.clear();
    for (OutboxEntry entry : retry) {
      store.markSent(entry.id(), clock.instant()).onFailure(failure -> sentUnmarked.add(entry));
    }
  }

  /** Over the bound: drop the oldest REPEAT reminders (never a FIRING or RESOLVED notification). */
  private void trim() {
    if (queue.size() <= maxPending) {
      return;
    }
    int excess = queue.size() - maxPending;
    Iterator<OutboxEntry> oldest = queue.iterator();
    // the head may be in flight: leave it alone
    if (oldest.hasNext()) {
      oldest.next();
    }
    while (excess > 0 && oldest.hasNext()) {
      OutboxEntry entry = oldest.next();
      if (entry.kind() == Notification.Kind.REPEAT) {
        oldest.remove();
        known.remove(entry.id());
        dropped.increment();
        store.markDropped(entry.id(), clock.instant(), "dropped: the outbox was over its bound of " + maxPending);
        excess--;
      }
    }
    if (excess > 0) {
      LOG.error("The outbox holds {} notifications, over its bound of {}; none left that may be dropped", queue.size(), maxPending);
    }
  }
}
