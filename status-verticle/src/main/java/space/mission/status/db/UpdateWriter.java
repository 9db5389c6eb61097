package space.mission.status.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import space.mission.common.bus.StatusUpdate;
import space.mission.runtime.db.ConnectionFailures;

import java.time.Clock;
import java.time.Duration;
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
 *
 * <p>Every batch has a deadline. A batch that misses it (a connection that hangs, a lock that is
 * never granted, a pool future that never completes) fails its requests with a
 * {@link BatchDeadlineException} (503) and the writer goes on with the next batch, which takes
 * another connection; one stuck batch never blocks every later write. While batches cannot commit
 * {@link #isHealthy()} is false, so readiness turns red even when a plain ping still answers.
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
  private final long deadlineMillis;
  private volatile long unhealthyUntilNanos = System.nanoTime();
  private volatile String lastProblem;

  /**
   * @param owner       the context batches are written on
   * @param onCommitted called on the owner context with each committed batch, before any request is answered
   */
  public UpdateWriter(Context owner, UpdateRepository repository, int maxBatch, Duration deadline, Clock clock,
                      MeterRegistry registry, Consumer<List<StatusUpdate>> onCommitted) {
    this.deadlineMillis = deadline.toMillis();
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

  /** A batch missed its deadline; the request may or may not have been committed (retry with an idempotency key). */
  public static final class BatchDeadlineException extends java.util.concurrent.TimeoutException {
    public BatchDeadlineException(long millis) {
      super("the write was not committed within " + millis + " ms");
    }
  }

  /**
   * False from a batch that missed its deadline or met an outage until a batch commits again, but at
   * most for two deadlines after that failure, so an idle writer that nobody sends to turns ready
   * again and the next write finds out.
   */
  public boolean isHealthy() {
    return lastProblem == null || System.nanoTime() - unhealthyUntilNanos > 0;
  }

  /** Why {@link #isHealthy()} is false. */
  public String lastProblem() {
    return lastProblem;
  }

  private void unhealthy(Throwable failure) {
    lastProblem = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    unhealthyUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * deadlineMillis);
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
    Promise<Void> done = Promise.promise();
    long timer = owner.owner().setTimer(deadlineMillis, id -> {
      if (!done.future().isComplete()) {
        BatchDeadlineException missed = new BatchDeadlineException(deadlineMillis);
        unhealthy(missed);
        batch.forEach(pending -> answer(pending, null, missed));
        done.tryComplete();
      }
    });
    repository.insertAll(updates, recordedAt)
      .<Void>map(stored -> {
        commitTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batchSizes.record(stored.size());
        // committed after the deadline too: the rows are there, so listeners must learn of them even if the requests got 503
        onCommitted.accept(stored);
        lastProblem = null;
        if (!done.future().isComplete()) {
          for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), new Written(stored.get(i), false), null);
          }
        }
        return null;
      })
      .recover(failure -> {
        if (done.future().isComplete()) {
          return Future.succeededFuture();
        }
        if (ConnectionFailures.isUnavailable(failure)) {
          unhealthy(failure);
        }
        return ConnectionFailures.isUnavailable(failure) || batch.size() == 1 && !isRowFailure(failure)
          ? failAll(batch, failure)
          : oneByOne(batch, recordedAt);
      })
      .onComplete(result -> {
        owner.owner().cancelTimer(timer);
        done.tryComplete();
      });
    // the next batch starts when this one is answered, by its commit or by its deadline, whichever comes first
    done.future().onComplete(next -> drain());
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
      // try*: a request answered by its deadline may see its row-by-row retry finish later
      if (failure == null) {
        pending.promise().tryComplete(written);
      } else {
        pending.promise().tryFail(failure);
      }
    });
  }
}
