package space.mission.runtime.spool;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row, wait a random time between
 * zero and min(cap, base x 2^n). Jitter keeps many senders from retrying in lockstep against a
 * service that is recovering.
 */
public final class Backoff {

  private final Duration base;
  private final Duration cap;
  private int failures;

  public Backoff(Duration base, Duration cap) {
    this.base = base;
    this.cap = cap;
  }

  /** The delay before the next attempt, counting one more failure. */
  public Duration nextDelay() {
    int exponent = Math.min(failures++, 30);
    long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << exponent));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1));
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
