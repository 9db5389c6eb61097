package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Monitors that stop reporting. */
class MissingMonitorEvaluatorTest extends EngineTestBase {

  @Test
  @DisplayName("A monitor silent for three of its intervals fires monitor-missing; its next reading resolves it")
  void missingMonitor() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onReading(reading("h1", 10, 10));
    engine.drain();
    clock.advance(Duration.ofSeconds(15));
    engine.tick();
    assertThat(events(engine.drain())).as("15 s is not more than 3 x 5 s").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    engine.tick();
    Outcome missing = engine.drain();
    assertThat(events(missing)).containsExactly("monitor-missing:FIRING");
    assertThat(missing.notifications().get(0).alerts().get(0).labels()).isEqualTo(Map.of("host", "h1", "instance", "i-1"));
    engine.onReading(reading("h1", 10, 10));
    assertThat(events(engine.drain())).containsExactly("monitor-missing:RESOLVED");
  }

  @Test
  @DisplayName("A monitor silent past forgetAfter is forgotten: its alert resolves and it never fires again")
  void forgotten() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onReading(reading("h1", 10, 10));
    clock.advance(Duration.ofMinutes(1));
    engine.tick();
    assertThat(events(engine.drain())).containsExactly("monitor-missing:FIRING");
    clock.advance(Duration.ofHours(24));
    engine.tick();
    assertThat(events(engine.drain())).containsExactly("monitor-missing:RESOLVED");
    assertThat(engine.monitors()).isEmpty();
    clock.advance(Duration.ofHours(1));
    engine.tick();
    assertThat(events(engine.drain())).isEmpty();
  }

  @Test
  @DisplayName("Monitors seen before a restart are watched after it: one that stays silent fires, at its own interval")
  void restoredMonitors() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.restore(List.of(), List.of(), List.of(new AlertEngine.MonitorSeen("h9", "i-9", 60, T0)), null);
    clock.advance(Duration.ofSeconds(180));
    engine.tick();
    assertThat(events(engine.drain())).as("3 x 60 s, not more").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    engine.tick();
    assertThat(engine.drain().changes()).filteredOn(Change::historic).singleElement().satisfies(change -> {
      assertThat(change.event()).isEqualTo(HistoryEvent.FIRING);
      assertThat(change.alert().labels()).isEqualTo(Map.of("host", "h9", "instance", "i-9"));
      assertThat(change.alert().value()).isEqualTo(181.0);
    });
  }
}
