package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.alert.rules.RuleSet;
import space.mission.common.bus.ResourceReading;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Threshold rules on readings: the for duration and hysteresis, per host and item. */
class ReadingEvaluatorTest extends EngineTestBase {

  @Test
  @DisplayName("A breach goes PENDING, fires only once it has lasted the rule's for duration, and a dip before that clears it silently")
  void forDuration() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onReading(reading("h1", 95, 10));
    assertThat(events(engine.drain())).containsExactly("cpu-high:PENDING");
    clock.advance(Duration.ofSeconds(30));
    engine.onReading(reading("h1", 96, 10));
    assertThat(engine.drain().notifications()).isEmpty();
    clock.advance(Duration.ofSeconds(31));
    engine.onReading(reading("h1", 97, 10));
    Outcome fired = engine.drain();
    assertThat(events(fired)).containsExactly("cpu-high:FIRING");
    assertThat(fired.notifications()).singleElement().satisfies(notification -> {
      assertThat(notification.kind()).isEqualTo(Notification.Kind.FIRING);
      assertThat(notification.alerts().get(0).labels()).containsEntry("host", "h1");
      assertThat(notification.alerts().get(0).value()).isEqualTo(97.0);
    });

    engine.onReading(reading("h2", 95, 10));
    clock.advance(Duration.ofSeconds(20));
    engine.onReading(reading("h2", 50, 10));
    Outcome cleared = engine.drain();
    assertThat(events(cleared)).containsExactly("cpu-high:PENDING", "cpu-high:CLEARED");
    assertThat(cleared.notifications()).isEmpty();
  }

  @Test
  @DisplayName("Hysteresis: a firing alert stays firing between the clear and the trigger thresholds, and resolves below the clear one")
  void hysteresis() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onReading(reading("h1", 10, 90));
    assertThat(events(engine.drain())).containsExactly("disk-full:FIRING");
    for (double value : new double[] {84, 86, 82, 85.5, 81}) {
      engine.onReading(reading("h1", 10, value));
    }
    Outcome hovering = engine.drain();
    assertThat(events(hovering)).as("no flapping around 85").isEmpty();
    assertThat(hovering.notifications()).isEmpty();
    engine.onReading(reading("h1", 10, 79));
    Outcome resolved = engine.drain();
    assertThat(events(resolved)).containsExactly("disk-full:RESOLVED");
    assertThat(resolved.notifications()).singleElement().satisfies(n -> assertThat(n.kind()).isEqualTo(Notification.Kind.RESOLVED));
  }

  @Test
  @DisplayName("A per-mount rule raises one alert per mount, labelled with it, and only on the hosts its pattern names")
  void itemsAndHosts() {
    RuleSet rules = rules("""
      {"readings": [{"name": "disk-any", "metric": "disk.usage", "comparison": ">", "threshold": 85, "host": "db-.*", "severity": "WARNING"}]}
      """);
    AlertEngine engine = new AlertEngine(rules, clock, Duration.ZERO, Duration.ofHours(4), false);
    List<ResourceReading.Disk> disks = List.of(new ResourceReading.Disk("/", "ext4", 90, 100, 1, 10),
      new ResourceReading.Disk("/data", "ext4", 95, 100, 1, 10), new ResourceReading.Disk("/tmp", "ext4", 10, 100, 1, 10));
    for (String host : List.of("db-1", "web-1")) {
      engine.onReading(new ResourceReading(host, "i-1", T0, new ResourceReading.Cpu(1, List.of(1.0)), null,
        new ResourceReading.Memory(1, 10), new ResourceReading.Memory(0, 0), disks, List.of(), 10, 100, 5));
    }
    Outcome outcome = engine.drain();
    assertThat(events(outcome)).containsExactly("disk-any:FIRING", "disk-any:FIRING");
    assertThat(engine.active()).extracting(AlertView::labels)
      .containsExactlyInAnyOrder(Map.of("host", "db-1", "mount", "/"), Map.of("host", "db-1", "mount", "/data"));
    assertThat(engine.active()).extracting(AlertView::summary).contains("disk.usage 95.0 > 85.0 on db-1 mount /data");
  }
}
