package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.common.bus.Level;
import space.mission.common.bus.Severity;
import space.mission.common.bus.StatusUpdate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Mission status updates: WARNING and CRITICAL fire, a change between them escalates or de-escalates, NOMINAL resolves. */
class StatusEvaluatorTest extends EngineTestBase {

  @Test
  @DisplayName("A WARNING or CRITICAL status update raises an alert for the mission's subsystem; escalation re-notifies; NOMINAL resolves")
  void missionStatus() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onStatusUpdate(new StatusUpdate(1, "voyager-3", "comms", Level.WARNING, "noise", null, null, T0));
    Outcome raised = engine.drain();
    assertThat(events(raised)).containsExactly("mission-status:FIRING");
    assertThat(raised.notifications().get(0).severity()).isEqualTo(Severity.WARNING);
    engine.onStatusUpdate(new StatusUpdate(2, "voyager-3", "comms", Level.WATCH, "better", null, null, T0));
    assertThat(engine.drain().isEmpty()).as("WATCH changes nothing").isTrue();
    engine.onStatusUpdate(new StatusUpdate(3, "voyager-3", "comms", Level.CRITICAL, "lost lock", null, null, T0));
    Outcome escalated = engine.drain();
    assertThat(events(escalated)).containsExactly("mission-status:ESCALATED");
    assertThat(escalated.notifications()).singleElement().satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
    engine.onStatusUpdate(new StatusUpdate(4, "voyager-3", "comms", Level.NOMINAL, "all good", null, null, T0));
    Outcome resolved = engine.drain();
    assertThat(events(resolved)).containsExactly("mission-status:RESOLVED");
    assertThat(resolved.notifications().get(0).kind()).isEqualTo(Notification.Kind.RESOLVED);
  }

  @Test
  @DisplayName("A status alert restored after a restart is the one a later NOMINAL resolves, and told as resolved")
  void restored() {
    AlertEngine first = engine(Duration.ZERO);
    first.onStatusUpdate(new StatusUpdate(1, "voyager-3", "power", Level.CRITICAL, "bus undervolt", null, null, T0));
    first.drain();
    AlertEngine second = engine(Duration.ZERO);
    second.restore(first.active(), List.of(), List.of(), null);
    second.onStatusUpdate(new StatusUpdate(2, "voyager-3", "power", Level.NOMINAL, "recovered", null, null, T0));
    Outcome resolved = second.drain();
    assertThat(events(resolved)).containsExactly("mission-status:RESOLVED");
    assertThat(resolved.notifications()).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(Notification.Kind.RESOLVED);
      assertThat(n.alerts().get(0).summary()).isEqualTo("power of voyager-3 reports NOMINAL again: recovered");
    });
    assertThat(second.active()).isEmpty();
  }

  @Test
  @DisplayName("Without a status rule an update changes nothing, not even when waiting groups go out")
  void noRule() {
    AlertEngine engine = new AlertEngine(rules("""
      {"readings": [{"name": "disk-full", "metric": "disk.usage", "comparison": ">", "threshold": 85, "severity": "WARNING"}]}
      """), clock, Duration.ofSeconds(5), Duration.ofHours(4), false);
    engine.onReading(reading("h1", 10, 90));
    engine.drain();
    clock.advance(Duration.ofSeconds(6));
    engine.onStatusUpdate(new StatusUpdate(1, "voyager-3", "comms", Level.CRITICAL, "lost lock", null, null, T0));
    assertThat(engine.drain().isEmpty()).isTrue();
    engine.tick();
    assertThat(engine.drain().notifications()).singleElement().satisfies(n -> assertThat(n.rule()).isEqualTo("disk-full"));
  }
}
