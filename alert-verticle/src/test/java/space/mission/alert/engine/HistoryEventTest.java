package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The history kinds as they are stored, answered and published: these texts are a contract. */
class HistoryEventTest {

  @Test
  @DisplayName("Each history kind keeps the text stored in alert_history, and only FIRING and RESOLVED go on the bus")
  void storedTexts() {
    assertThat(Arrays.stream(HistoryEvent.values()).map(HistoryEvent::stored))
      .containsExactly("PENDING", "FIRING", "CLEARED", "RESOLVED", "ACKNOWLEDGED", "ESCALATED", "DEESCALATED");
    assertThat(Arrays.stream(HistoryEvent.values()).filter(HistoryEvent::published))
      .containsExactly(HistoryEvent.FIRING, HistoryEvent.RESOLVED);
    assertThat(HistoryEvent.ACKNOWLEDGED).hasToString("ACKNOWLEDGED");
  }
}
