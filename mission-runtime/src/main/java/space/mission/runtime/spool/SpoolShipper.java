package space.mission.runtime.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivers what is in a {@link DiskSpool}, oldest first, one call at a time: read a batch, let the
 * sender pick what fits one call, send it, and release exactly what was settled. A failed call is
 * retried after a jittered exponential backoff; nothing is skipped and nothing is released before
 * the receiver took it, so records arrive in order and, outages included, once (a call whose outcome
 * is unknown, a timeout, is repeated: at least once in that case).
 *
 * <p>Runs on the context that calls {@link #start()}; spool I/O runs on worker threads.
 */
public final class SpoolShipper {

  /** The receiving side of one spool. */
  public interface Sender {

    /** How many of {@code candidates} (in order) fit one call to the receiver; at least 1. */
    default int fit(List<DiskSpool.Record> candidates) {
      return candidates.size();
    }

    /**
     * Sends {@code batch}; answers how many of its records are settled: delivered, or refused for
     * good (the sender reports those as a {@link Gap}). A failed future means "retry later".
     *
     * @param gap what the spool dropped before this batch and has not recorded yet (null if nothing):
     *            the sender records it (as the first record of the batch, for a log stream) and it is
     *            cleared when the call succeeds
     */
    Future<Integer> send(List<DiskSpool.Record> batch, DiskSpool.Dropped gap);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SpoolShipper.class);

  private final Vertx vertx;
  private final String name;
  private final DiskSpool spool;
  private final Sender sender;
  private final int readLimit;
  private final Duration idleCheck;
  private final Backoff backoff;
  private final Counter delivered;
  private final Counter failures;
  private final Consumer<DiskSpool.Dropped> onLost;
  private boolean busy;
  private boolean stopped;
  private long timer = -1;
  private Promise<Void> idle;

  /**
   * @param onLost told about records lost because the spool had to drop them while they were being
   *               sent and the send then failed (the appender is told about every other drop); for
   *               counting: the record of the gap goes out through {@link Sender#send}
   */
  public SpoolShipper(Vertx vertx, String name, DiskSpool spool, Sender sender, int readLimit, Duration idleCheck,
                      Backoff backoff, MeterRegistry registry, Consumer<DiskSpool.Dropped> onLost) {
    this.vertx = vertx;
    this.onLost = onLost;
    this.name = name;
    this.spool = spool;
    this.sender = sender;
    this.readLimit = readLimit;
    this.idleCheck = idleCheck;
    this.backoff = backoff;
    this.delivered = Counter.builder("mission.spool.delivered").tag("spool", name)
      .description("Records delivered from the spool").register(registry);
    this.failures = Counter.builder("mission.spool.send.failures").tag("spool", name)
      .description("Failed deliveries (each retried later)").register(registry);
    Gauge.builder("mission.spool.pending", spool, DiskSpool::pendingRecords).tag("spool", name)
      .description("Records waiting in the spool").register(registry);
    Gauge.builder("mission.spool.bytes", spool, DiskSpool::bytesOnDisk).tag("spool", name)
      .description("Bytes the spool holds on disk").register(registry);
  }

  public void start() {
    schedule(Duration.ZERO);
  }

  /** Stops; completes once no call is under way, so the spool can be closed without a batch in the air. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (!busy) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    return idle.future();
  }

  /** Asks for delivery now (new records were appended), unless a call is under way or a backoff is running. */
  public void nudge() {
    if (!busy && backoff.failures() == 0 && !stopped) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      pump();
    }
  }

  public boolean inBackoff() {
    return backoff.failures() > 0;
  }

  private void schedule(Duration delay) {
    if (stopped) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      timer = -1;
      pump();
    });
  }

  private void pump() {
    if (busy || stopped) {
      return;
    }
    busy = true;
    // spool I/O and its lock stay off the event loop: read, pick and lease on a worker
    vertx.executeBlocking(this::nextBatch, false)
      .compose(batch -> {
        if (batch == null) {
          return Future.succeededFuture(false);
        }
        if (batch.records().isEmpty()) {
          // the oldest records were dropped between the read and the lease: read again
          return Future.succeededFuture(true);
        }
        return sender.send(batch.records(), batch.gap())
          .compose(settled -> {
            int count = Math.max(0, Math.min(settled, batch.records().size()));
            if (count == 0) {
              return Future.failedFuture(new IllegalStateException(name + ": the receiver settled nothing"));
            }
            return vertx.executeBlocking(() -> {
              spool.commit(batch.ends().get(count - 1), count, batch.gap());
              return count;
            }, false);
          })
          .map(count -> {
            delivered.increment(count);
            if (backoff.failures() > 0) {
              LOG.info("{}: delivering again after {} failed attempts", name, backoff.failures());
            }
            backoff.reset();
            return true;
          })
          .recover(failure -> vertx.executeBlocking(spool::release, false).compose(lost -> {
            if (lost != null) {
              onLost.accept(lost);
            }
            return Future.failedFuture(failure);
          }));
      })
      .onComplete(result -> {
        busy = false;
        if (stopped) {
          if (idle != null) {
            idle.tryComplete();
          }
          return;
        }
        if (result.succeeded()) {
          // more may be waiting: go on at once; an empty spool is looked at again later
          schedule(result.result() ? Duration.ZERO : idleCheck);
        } else {
          failures.increment();
          Duration delay = backoff.nextDelay();
          if (backoff.failures() == 1 || backoff.failures() % 20 == 0) {
            LOG.warn("{}: delivery failed ({}); {} records wait in the spool, retrying in {} ms", name,
              result.cause().getMessage(), spool.pendingRecords(), delay.toMillis());
          }
          schedule(delay);
        }
      });
  }

  /** The next batch, leased; null when the spool is empty, no records when it changed under the read. */
  private Batch nextBatch() throws java.io.IOException {
    DiskSpool.Position start = spool.cursor();
    List<DiskSpool.Entry> entries = spool.read(readLimit, Long.MAX_VALUE);
    if (entries.isEmpty()) {
      return null;
    }
    List<DiskSpool.Record> records = new ArrayList<>(entries.size());
    entries.forEach(entry -> records.add(entry.record()));
    int fitting = Math.max(1, Math.min(records.size(), sender.fit(records)));
    if (!spool.lease(start, entries.get(fitting - 1).after())) {
      return new Batch(List.of(), List.of(), null);
    }
    List<DiskSpool.Position> ends = new ArrayList<>(fitting);
    for (int i = 0; i < fitting; i++) {
      ends.add(entries.get(i).after());
    }
    return new Batch(List.copyOf(records.subList(0, fitting)), ends, spool.pendingGap());
  }

  private record Batch(List<DiskSpool.Record> records, List<DiskSpool.Position> ends, DiskSpool.Dropped gap) {
  }
}
