package space.mission.alert.engine;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert lifecycle every family shares (grouping, repeats, acknowledgements, silences, restore), with a controllable clock and no infrastructure. */
class AlertEngineTest extends EngineTestBase {

  @Test
  @DisplayName("Alerts of one rule that fire within the group wait go out as one notification; a resolved one goes out at once")
  void grouping() {
    AlertEngine engine = engine(Duration.ofSeconds(5));
    engine.onReading(reading("h1", 10, 90));
    clock.advance(Duration.ofSeconds(2));
    engine.onReading(reading("h2", 10, 91));
    clock.advance(Duration.ofSeconds(2));
    engine.onReading(reading("h3", 10, 92));
    assertThat(engine.drain().notifications()).as("still inside the group wait").isEmpty();
    clock.advance(Duration.ofSeconds(2));
    engine.tick();
    List<Notification> sent = engine.drain().notifications();
    assertThat(sent).singleElement().satisfies(notification -> {
      assertThat(notification.alerts()).hasSize(3);
      assertThat(notification.dedupId()).startsWith("group:disk-full:");
    });
    engine.onReading(reading("h2", 10, 50));
    assertThat(engine.drain().notifications()).as("resolved: no group wait").singleElement()
      .satisfies(notification -> assertThat(notification.kind()).isEqualTo(Notification.Kind.RESOLVED));
  }

  @Test
  @DisplayName("An alert that fires and resolves inside the group wait is never notified, neither firing nor resolved")
  void resolvedInsideGroupWait() {
    AlertEngine engine = engine(Duration.ofSeconds(5));
    engine.onReading(reading("h1", 10, 90));
    clock.advance(Duration.ofSeconds(1));
    engine.onReading(reading("h1", 10, 50));
    clock.advance(Duration.ofSeconds(10));
    engine.tick();
    Outcome outcome = engine.drain();
    assertThat(events(outcome)).containsExactly("disk-full:FIRING", "disk-full:RESOLVED");
    assertThat(outcome.notifications()).isEmpty();
  }

  @Test
  @DisplayName("A firing alert is notified again every repeat interval until it is acknowledged; the acknowledgement is in its history")
  void repeatAndAcknowledge() {
    AlertEngine engine = engine(Duration.ZERO);
    engine.onReading(reading("h1", 10, 90));
    String fingerprint = disk(engine.drain()).get(0).alerts().get(0).fingerprint();
    clock.advance(Duration.ofHours(4));
    engine.tick();
    assertThat(disk(engine.drain())).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(Notification.Kind.REPEAT);
      assertThat(n.dedupId()).endsWith(":repeat:1");
    });
    clock.advance(Duration.ofHours(1));
    engine.tick();
    assertThat(disk(engine.drain())).isEmpty();
    AlertEngine.Acknowledgement ack = engine.acknowledge(fingerprint, "ops-alice", "disk being cleaned");
    assertThat(ack.refusal()).isNull();
    Outcome acknowledged = engine.drain();
    assertThat(acknowledged.changes()).singleElement().satisfies(change -> {
      assertThat(change.event().stored()).isEqualTo("ACKNOWLEDGED");
      assertThat(change.actor()).isEqualTo("ops-alice");
    });
    clock.advance(Duration.ofHours(10));
    engine.tick();
    assertThat(disk(engine.drain())).as("no repeats once acknowledged").isEmpty();
    assertThat(engine.acknowledge("nope", "x", null).missing()).isTrue();
    assertThat(engine.acknowledge(fingerprint, "ops-alice", "retried").refusal()).as("the same person again: the standing one").isNull();
    assertThat(engine.acknowledge(fingerprint, "ops-bob", null).refusal()).contains("already acknowledged by ops-alice");
    assertThat(engine.drain().changes()).as("neither is recorded again").isEmpty();
  }

  @Test
  @DisplayName("A silenced alert fires and shows as firing but is not notified; when the silence is expired it is notified")
  void silences() {
    AlertEngine engine = engine(Duration.ZERO);
    Silence silence = engine.addSilence(List.of(new Matcher("host", "h1", false), new Matcher("rule", "disk-.*", true)),
      T0, T0.plus(Duration.ofHours(1)), "ops-bob", "maintenance");
    engine.onReading(reading("h1", 10, 90));
    engine.onReading(reading("h2", 10, 90));
    Outcome outcome = engine.drain();
    assertThat(outcome.silences()).containsExactly(silence);
    assertThat(events(outcome)).containsExactly("disk-full:FIRING", "disk-full:FIRING");
    assertThat(outcome.notifications()).singleElement()
      .satisfies(n -> assertThat(n.alerts()).extracting(a -> a.labels().get("host")).containsExactly("h2"));
    AlertView muted = engine.active().stream().filter(a -> a.labels().get("host").equals("h1")).findFirst().orElseThrow();
    assertThat(muted.state()).isEqualTo(AlertState.FIRING);
    assertThat(engine.silencedBy(muted)).containsExactly(silence.id());

    engine.expireSilence(silence.id(), "ops-bob");
    Outcome after = engine.drain();
    assertThat(after.notifications()).singleElement()
      .satisfies(n -> assertThat(n.alerts()).extracting(a -> a.labels().get("host")).containsExactly("h1"));
  }

  @Test
  @DisplayName("Restored state goes on where it was: a firing alert never notified is notified, a notified one is not notified twice")
  void restore() {
    AlertEngine first = engine(Duration.ofSeconds(30));
    first.onReading(reading("h1", 10, 90));
    first.drain();
    List<AlertView> saved = first.active();
    AlertEngine second = engine(Duration.ZERO);
    second.restore(saved, List.of(), List.of(), null);
    second.tick();
    Outcome outcome = second.drain();
    assertThat(outcome.notifications()).singleElement()
      .satisfies(n -> assertThat(n.dedupId()).isEqualTo(saved.get(0).fingerprint() + ":" + saved.get(0).startsAt().toEpochMilli() + ":firing"));
    AlertEngine third = engine(Duration.ZERO);
    third.restore(second.active(), List.of(), List.of(), null);
    third.tick();
    assertThat(third.drain().notifications()).isEmpty();
  }

  @Test
  @DisplayName("Fingerprints are stable and depend on rule and labels only")
  void fingerprints() {
    assertThat(AlertIds.fingerprint("r", Map.of("a", "1", "b", "2"))).isEqualTo(AlertIds.fingerprint("r", Map.of("b", "2", "a", "1")))
      .hasSize(16).isNotEqualTo(AlertIds.fingerprint("r2", Map.of("a", "1", "b", "2")));
    assertThat(new JsonArray().isEmpty()).isTrue();
  }

  @Test
  @DisplayName("A restored alert whose rule is no longer configured is resolved, not left firing")
  void removedRule() {
    AlertEngine first = engine(Duration.ZERO);
    first.onReading(reading("h1", 10, 90));
    first.drain();
    AlertEngine second = new AlertEngine(rules("""
      {"readings": [{"name": "cpu-high", "metric": "cpu.usage", "comparison": ">", "threshold": 90, "severity": "CRITICAL"}]}
      """), clock, Duration.ZERO, Duration.ofHours(4), false);
    second.restore(first.active(), List.of(), List.of(), null);
    Outcome outcome = second.drain();
    assertThat(outcome.changes()).filteredOn(Change::historic).singleElement().satisfies(change -> {
      assertThat(change.event()).isEqualTo(HistoryEvent.RESOLVED);
      assertThat(change.detail().getString("why")).isEqualTo("its rule is no longer configured");
    });
    assertThat(outcome.notifications()).as("it was told it fired, so it is told it resolved").singleElement()
      .satisfies(n -> assertThat(n.kind()).isEqualTo(Notification.Kind.RESOLVED));
    assertThat(second.active()).isEmpty();
  }
}
