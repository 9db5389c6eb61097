package space.mission.status.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import space.mission.common.bus.StatusUpdate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Group commit for status updates. Requests from every event loop queue here; one batch at a time
 * is written in a single transaction, and everything that queued meanwhile goes into the next. A
 * request is answered only after the commit that holds its update succeeded, so an acknowledged
 * update is always durable, and under load one commit serves many requests (the disk's commit rate
 * is the write ceiling otherwise).
 *
 * <p>A batch that fails for a reason other than an outage is retried row by row, so one bad row
 * (a repeated idempotency key, a mission removed underneath) fails alone.
 */
public final class UpdateWriter {

  /** A committed update; {@code replayed} when an idempotency key found an update already recorded. */
  public record Written(StatusUpdate update, boolean replayed) {
  }

  private record Pending(NewUpdate update, Promise<Written> promise, Context caller) {
  }

  private final Context owner;
  private final UpdateRepository repository;
  private final int maxBatch;
  private final Clock clock;
  private final Consumer<List<StatusUpdate>> onCommitted;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final DistributionSummary batchSizes;
  private final Timer commitTimes;

  /**
   * @param owner       the context batches are written on
   * @param onCommitted called on the owner context with each committed batch, before any request is answered
   */
  public UpdateWriter(Context owner, UpdateRepository repository, int maxBatch, Clock clock, MeterRegistry registry,
                      Consumer<List<StatusUpdate>> onCommitted) {
    this.owner = owner;
    this.repository = repository;
    this.maxBatch = maxBatch;
    this.clock = clock;
    this.onCommitted = onCommitted;
    this.batchSizes = DistributionSummary.builder("mission.status.writes.batch.size")
      .description("Status updates committed together in one transaction")
      .publishPercentiles(0.5, 0.99)
      .register(registry);
    this.commitTimes = Timer.builder("mission.status.writes.commit")
      .description("Time to write and commit one batch of status updates")
      .publishPercentiles(0.5, 0.99)
      .register(registry);
  }

  /** Queues {@code update}; the future completes on the caller's context once it is committed. */
  public Future<Written> write(NewUpdate update) {
    Context caller = Vertx.currentContext();
    Promise<Written> promise = Promise.promise();
    queue.add(new Pending(update, promise, caller == null ? owner : caller));
    if (draining.compareAndSet(false, true)) {
      owner.runOnContext(v -> drain());
    }
    return promise.future();
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>();
    for (Pending next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      draining.set(false);
      // a request may have queued between the poll and the reset: it saw draining=true and left it to us
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        drain();
      }
      return;
    }
    long started = System.nanoTime();
    List<NewUpdate> updates = new ArrayList<>(batch.size());
    batch.forEach(pending -> updates.add(pending.update()));
    Instant recordedAt = clock.instant();
    repository.insertAll(updates, recordedAt)
      .<Void>map(stored -> {
        commitTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchSizes.record(stored.size());
        onCommitted.accept(stored);
        for (int i = 0; i < batch.size(); i++) {
          answer(batch.get(i), new Written(stored.get(i), false), null);
        }
        return null;
      })
      .recover(failure -> DatabaseFailures.isUnavailable(failure) || batch.size() == 1 && !isRowFailure(failure)
        ? failAll(batch, failure)
        : oneByOne(batch, recordedAt))
      .onComplete(done -> drain());
  }

  private static boolean isRowFailure(Throwable failure) {
    return DatabaseFailures.hasCode(failure, DatabaseFailures.DUPLICATE_KEY)
      || DatabaseFailures.hasCode(failure, DatabaseFailures.FOREIGN_KEY_MISSING);
  }

  private Future<Void> failAll(List<Pending> batch, Throwable failure) {
    batch.forEach(pending -> answer(pending, null, failure));
    return Future.succeededFuture();
  }

  private Future<Void> oneByOne(List<Pending> batch, Instant recordedAt) {
    Future<Void> chain = Future.succeededFuture();
    for (Pending pending : batch) {
      chain = chain.transform(ignored -> writeAlone(pending, recordedAt));
    }
    return chain;
  }

  private Future<Void> writeAlone(Pending pending, Instant recordedAt) {
    NewUpdate update = pending.update();
    return repository.insert(update, recordedAt)
      .map(stored -> {
        onCommitted.accept(List.of(stored));
        return new Written(stored, false);
      })
      .recover(failure -> failure instanceof DuplicateKeyException && update.idempotencyKey() != null
        ? repository.findByIdempotencyKey(update.missionId(), update.idempotencyKey())
          .map(found -> new Written(found.orElseThrow(() -> new IllegalStateException("duplicate key without a row")), true))
        : Future.failedFuture(DatabaseFailures.hasCode(failure, DatabaseFailures.FOREIGN_KEY_MISSING)
          ? new MissionNotFoundException(update.missionId()) : failure))
      .transform(result -> {
        answer(pending, result.result(), result.cause());
        return Future.succeededFuture();
      });
  }

  private static void answer(Pending pending, Written written, Throwable failure) {
    pending.caller().runOnContext(v -> {
      if (failure == null) {
        pending.promise().complete(written);
      } else {
        pending.promise().fail(failure);
      }
    });
  }
}
