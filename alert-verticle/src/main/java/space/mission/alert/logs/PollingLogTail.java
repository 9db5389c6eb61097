package space.mission.alert.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What every log tail does the same way: restore its checkpoint, then poll on a timer (one poll at a
 * time: a slow source never stacks polls), save the checkpoint after each poll and on stop, count
 * the lines matched under {@code mission.alert.log.matches{source}}, and log a failed poll without
 * ending the tail (the next poll tries again). A tail says only how to restore, read and save.
 */
abstract class PollingLogTail implements LogTail {

  private static final Logger LOG = LoggerFactory.getLogger(PollingLogTail.class);

  protected final Vertx vertx;
  private final Duration pollInterval;
  private final Counter matched;
  private long timer = -1;
  private boolean polling;

  PollingLogTail(Vertx vertx, String source, Duration pollInterval, MeterRegistry registry) {
    this.vertx = vertx;
    this.pollInterval = pollInterval;
    this.matched = Counter.builder("mission.alert.log.matches").tag("source", source).description("Log lines matching a rule")
      .register(registry);
  }

  /** Reads the checkpoint (or, on the first start, where to begin). */
  protected abstract Future<Void> restore();

  /** Reads what came since the last poll and hands each match on, calling {@link #matched()} for each. */
  protected abstract Future<Void> pollOnce();

  /** Saves where the tail got to. */
  protected abstract Future<Void> save();

  /** How the first poll is timed after start: at once (0) or after one interval. */
  protected abstract long firstPollDelayMillis(Duration pollInterval);

  /** What a failed poll's log line names. */
  protected abstract String describe();

  protected final void matched() {
    matched.increment();
  }

  @Override
  public final Future<Void> start() {
    return restore().onSuccess(restored ->
      timer = vertx.setPeriodic(firstPollDelayMillis(pollInterval), pollInterval.toMillis(), id -> poll()));
  }

  @Override
  public final Future<Void> stop() {
    vertx.cancelTimer(timer);
    return save();
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    pollOnce()
      .compose(done -> save())
      .onFailure(failure -> LOG.warn("{} failed: {}", describe(), failure.getMessage()))
      .onComplete(done -> polling = false);
  }
}
