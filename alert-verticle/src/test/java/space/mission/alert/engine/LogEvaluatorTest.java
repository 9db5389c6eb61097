package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bursts of matching log lines within a window. */
class LogEvaluatorTest extends EngineTestBase {

  @Test
  @DisplayName("ERROR bursts: the count within the window fires, and it resolves when the window empties")
  void logBursts() {
    AlertEngine engine = engine(Duration.ZERO);
    var rule = DEFAULTS.logs().get(0);
    engine.onLogMatch(rule, T0.toEpochMilli());
    engine.onLogMatch(rule, T0.plusSeconds(10).toEpochMilli());
    assertThat(events(engine.drain())).isEmpty();
    engine.onLogMatch(rule, T0.minus(Duration.ofMinutes(5)).toEpochMilli());
    assertThat(events(engine.drain())).as("an old line is outside the window").isEmpty();
    engine.onLogMatch(rule, T0.plusSeconds(20).toEpochMilli());
    assertThat(events(engine.drain())).containsExactly("error-burst:FIRING");
    clock.advance(Duration.ofSeconds(61));
    engine.tick();
    assertThat(events(engine.drain())).containsExactly("error-burst:RESOLVED");
  }

  @Test
  @DisplayName("A burst names its source: the local stream's file, or in AWS mode the CloudWatch Logs group; lines out of order still count")
  void sources() {
    var rule = DEFAULTS.logs().get(0);
    for (boolean aws : new boolean[] {false, true}) {
      AlertEngine engine = new AlertEngine(DEFAULTS, clock, Duration.ZERO, Duration.ofHours(4), aws);
      engine.onLogMatch(rule, T0.plusSeconds(20).toEpochMilli());
      engine.onLogMatch(rule, T0.toEpochMilli());
      engine.onLogMatch(rule, T0.plusSeconds(10).toEpochMilli());
      assertThat(engine.active()).singleElement().satisfies(alert -> {
        assertThat(alert.labels()).isEqualTo(Map.of("source", aws ? "/g" : "data/logs/app"));
        assertThat(alert.value()).isEqualTo(3.0);
      });
    }
  }
}
