package space.mission.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in tests for a condition, not for a time: polls until the condition holds and gives up at a
 * deadline. A test that must let time pass on purpose (a lease's time-to-live, an outage that has to
 * last) sleeps instead and says why in a comment.
 */
public final class Await {

  /** What a test waits for; it may throw (a query, an HTTP call), which fails the test at once. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** A value read again on each poll. */
  @FunctionalInterface
  public interface Probe<T> {
    T read() throws Exception;
  }

  private static final Duration POLL = Duration.ofMillis(50);

  private Await() {
  }

  /** Until {@code condition} holds; fails the test when it does not within {@code timeout}. */
  public static void until(Duration timeout, Condition condition) {
    until(timeout, POLL, () -> "condition", condition);
  }

  /** Until {@code condition} holds; fails the test naming {@code what} when it does not within {@code timeout}. */
  public static void until(Duration timeout, String what, Condition condition) {
    until(timeout, POLL, () -> what, condition);
  }

  /**
   * Until {@code condition} holds, polling every {@code every} (longer for a probe that costs, such as
   * a remote call); fails the test with {@code what}, read at the deadline (so it can show a process's
   * latest output), when it does not hold within {@code timeout}.
   */
  public static void until(Duration timeout, Duration every, Supplier<String> what, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!read(condition::holds)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what.get() + ": not within " + timeout);
      }
      pause(every);
    }
  }

  /**
   * Reads {@code probe} until {@code done} accepts the value or {@code timeout} has passed, and answers
   * the last value read either way: for a test whose own assertion on that value says what went wrong.
   */
  public static <T> T value(Duration timeout, Duration every, Probe<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T value = read(probe);
    while (!done.test(value) && System.nanoTime() - deadline < 0) {
      pause(every);
      value = read(probe);
    }
    return value;
  }

  /** A probe's failure fails the test as it is; a checked one is wrapped, so callers need no throws clause. */
  private static <T> T read(Probe<T> probe) {
    try {
      return probe.read();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("the condition could not be read: " + e.getMessage(), e);
    }
  }

  /** The one sleep: between two polls. */
  private static void pause(Duration every) {
    try {
      Thread.sleep(every.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
