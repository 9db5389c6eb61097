package space.mission.runtime.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTest {

  @Test
  @DisplayName("The instance cap and the per-client cap each refuse the connection beyond them, and give room back on release")
  void caps() {
    ConnectionLimits limits = new ConnectionLimits(3, 2);
    assertThat(limits.tryAcquire("a")).isEqualTo(ConnectionLimits.Refusal.NONE);
    assertThat(limits.tryAcquire("a")).isEqualTo(ConnectionLimits.Refusal.NONE);
    assertThat(limits.tryAcquire("a")).isEqualTo(ConnectionLimits.Refusal.CLIENT);
    assertThat(limits.tryAcquire("b")).isEqualTo(ConnectionLimits.Refusal.NONE);
    assertThat(limits.tryAcquire("c")).isEqualTo(ConnectionLimits.Refusal.INSTANCE);
    assertThat(limits.open()).isEqualTo(3);
    limits.release("a");
    assertThat(limits.tryAcquire("c")).isEqualTo(ConnectionLimits.Refusal.NONE);
    assertThat(new ConnectionLimits(10, 0).tryAcquire("x")).as("0: no cap per client").isEqualTo(ConnectionLimits.Refusal.NONE);
  }
}
