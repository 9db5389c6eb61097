package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.alert.rules.RuleSet;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in alert about decisions the database refused for good. */
class WriteRefusalEvaluatorTest extends EngineTestBase {
  /** No configured rule at all: the refusal alert is built in. */
  static final RuleSet NONE = rules("{}");

  AlertEngine engine() {
    return new AlertEngine(NONE, clock, Duration.ZERO, Duration.ofHours(1), false);
  }

  @Test
  @DisplayName("A refusal fires at once; later ones are counted on the same alert; a repeat interval without one resolves it")
  void firesCountsResolves() {
    AlertEngine engine = engine();
    engine.onWriteRefused("Data too long for column 'summary'");
    Outcome fired = engine.drain();
    assertThat(events(fired)).containsExactly(AlertEngine.WRITE_REFUSED_RULE + ":FIRING");
    assertThat(fired.notifications()).singleElement().satisfies(n -> assertThat(n.alerts().get(0).summary())
      .isEqualTo("1 alert decision was dropped because the database refused to store them; the last: Data too long for column 'summary'"));
    clock.advance(Duration.ofMinutes(30));
    engine.onWriteRefused("again");
    assertThat(events(engine.drain())).as("the same alert, counting").isEmpty();
    assertThat(engine.active()).singleElement().satisfies(alert -> {
      assertThat(alert.value()).isEqualTo(2.0);
      assertThat(alert.summary()).startsWith("2 alert decisions were dropped");
    });
    clock.advance(Duration.ofMinutes(60));
    engine.tick();
    assertThat(events(engine.drain())).as("exactly one interval since the last: not yet").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    engine.tick();
    assertThat(events(engine.drain())).containsExactly(AlertEngine.WRITE_REFUSED_RULE + ":RESOLVED");
  }

  @Test
  @DisplayName("A restored refusal alert counts on from its value, and its quiet interval starts at the restart")
  void restored() {
    AlertEngine first = engine();
    first.onWriteRefused("x");
    first.onWriteRefused("y");
    first.onWriteRefused("z");
    first.drain();
    clock.advance(Duration.ofMinutes(50));
    AlertEngine second = engine();
    second.restore(first.active(), List.of(), List.of(), null);
    clock.advance(Duration.ofMinutes(30));
    second.tick();
    assertThat(events(second.drain())).as("30 min after the restart").isEmpty();
    second.onWriteRefused("w");
    assertThat(second.active()).singleElement().satisfies(alert -> assertThat(alert.value()).isEqualTo(4.0));
  }
}
