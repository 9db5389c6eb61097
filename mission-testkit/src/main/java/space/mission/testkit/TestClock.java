package space.mission.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves forward by hand, so time-driven behaviour (rules' durations, staleness,
 * retention) is tested without sleeping: either stopped at an instant, or running with real time
 * plus the offset the test adds. Safe to read from event loops while the test thread advances it.
 */
public final class TestClock extends Clock {

  private final Instant stoppedAt;
  private volatile Duration offset = Duration.ZERO;

  private TestClock(Instant stoppedAt) {
    this.stoppedAt = stoppedAt;
  }

  /** Stands still at {@code start} until advanced. */
  public static TestClock at(Instant start) {
    return new TestClock(start);
  }

  /** Real time, plus whatever the test advances it by. */
  public static TestClock running() {
    return new TestClock(null);
  }

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return (stoppedAt == null ? Instant.now() : stoppedAt).plus(offset);
  }
}
