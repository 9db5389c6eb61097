package space.mission.control;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits, polling every 100 ms, until a condition holds; fails the test when it does not within the time given. */
final class Eventually {

  private Eventually() {
  }

  static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
