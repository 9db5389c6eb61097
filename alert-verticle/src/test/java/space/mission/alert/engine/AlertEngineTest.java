package space.mission.alert.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.alert.rules.RuleParser;
import space.mission.alert.rules.RuleSet;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.Level;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.Severity;
import space.mission.common.bus.StatusUpdate;
import space.mission.testkit.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert lifecycle with a controllable clock and no infrastructure. */
class AlertEngineTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final TestClock clock = TestClock.at(T0);

  static RuleSet rules(String yamlishJson) {
    return RuleParser.parse(new JsonObject(yamlishJson));
  }

  static final RuleSet DEFAULTS = rules("""
    {"readings": [
       {"name": "cpu-high", "metric": "cpu.usage", "comparison": ">", "threshold": 90, "clear": 80, "for": "1m", "severity": "CRITICAL"},
       {"name": "disk-full", "metric": "disk.usage", "comparison": ">", "threshold": 85, "clear": 80, "for": "0s", "severity": "WARNING"}],
     "missingMonitor": {"name": "monitor-missing", "intervals": 3, "severity": "CRITICAL", "forgetAfter": "24h", "defaultIntervalSeconds": 5},
     "logs": [{"name": "error-burst", "group": "/g", "stream": "app", "pattern": "ERROR", "window": "1m", "count": 3, "severity": "WARNING"}],
     "status": {"name": "mission-status"}}
    """);

  AlertEngine engine(Duration groupWait) {
    return new AlertEngine(DEFAULTS, clock, groupWait, Duration.ofHours(4), false);
  }

  static ResourceReading reading(String host, double cpu, double diskPercent) {
    return new ResourceReading(host, "i-1", T0, new ResourceReading.Cpu(cpu, List.of(cpu)), null,
      new ResourceReading.Memory(1, 10), new ResourceReading.Memory(0, 0),
      List.of(new ResourceReading.Disk("/", "ext4", (long) diskPercent, 100, 1, 10)), List.of(), 10, 100, 5);
  }

  /** The disk-full notifications (advancing hours also makes the silent monitor of the test fire). */
  static List<Notification> disk(Outcome outcome) {
    return outcome.notifications().stream().filter(notification -> notification.rule().equals("disk-full")).toList();
  }

  static List<String> events(Outcome outcome) {
    List<String> events = new ArrayList<>();
    outcome.changes().stream().filter(Change::historic).forEach(change -> events.add(change.alert().rule() + ":" + change.event()));
    return events;
  }

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
      assertThat(change.event()).isEqualTo("ACKNOWLEDGED");
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
  @DisplayName("Backups: FAILED fires and a success resolves; no verified backup within the RPO fires, a verified one resolves; "
    + "the recovery point survives a restart")
  void backups() {
    RuleSet backupRules = rules("""
      {"backupFailed": {"name": "backup-failed", "severity": "CRITICAL"},
       "backupStale": {"name": "backup-stale", "rpo": "24h", "severity": "WARNING"}}
      """);
    AlertEngine engine = new AlertEngine(backupRules, clock, Duration.ZERO, Duration.ofHours(4), false);
    engine.tick();
    engine.drain();
    assertThat(engine.backupWatchToSave()).hasValueSatisfying(watch -> assertThat(watch.watchingSince()).isEqualTo(T0));

    engine.onBackupEvent(BackupEvent.failed("b-1", clock.instant(), "S3 is down"));
    Outcome failed = engine.drain();
    assertThat(events(failed)).containsExactly("backup-failed:FIRING");
    assertThat(failed.notifications().get(0).alerts().get(0).summary()).contains("b-1").contains("S3 is down");
    engine.onBackupEvent(new BackupEvent(BackupEvent.Type.SUCCEEDED, "b-2", clock.instant(), 10L, 1L, "c", false, null));
    assertThat(events(engine.drain())).containsExactly("backup-failed:RESOLVED");

    clock.advance(Duration.ofHours(25));
    engine.tick();
    Outcome stale = engine.drain();
    assertThat(events(stale)).as("no verified backup in 25 h (b-2 was not verified)").containsExactly("backup-stale:FIRING");
    engine.onBackupEvent(new BackupEvent(BackupEvent.Type.SUCCEEDED, "b-3", clock.instant(), 10L, 1L, "c", true, null));
    assertThat(events(engine.drain())).containsExactly("backup-stale:RESOLVED");
    AlertEngine.BackupWatch saved = engine.backupWatchToSave().orElseThrow();
    assertThat(saved.newestVerified()).isEqualTo(clock.instant());

    AlertEngine restarted = new AlertEngine(backupRules, clock, Duration.ZERO, Duration.ofHours(4), false);
    restarted.restore(List.of(), List.of(), List.of(), saved);
    clock.advance(Duration.ofHours(23));
    restarted.tick();
    assertThat(events(restarted.drain())).as("23 h after the verified backup: within the RPO").isEmpty();
    clock.advance(Duration.ofHours(2));
    restarted.tick();
    assertThat(events(restarted.drain())).containsExactly("backup-stale:FIRING");
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
    assertThat(AlertEngine.fingerprint("r", Map.of("a", "1", "b", "2"))).isEqualTo(AlertEngine.fingerprint("r", Map.of("b", "2", "a", "1")))
      .hasSize(16).isNotEqualTo(AlertEngine.fingerprint("r2", Map.of("a", "1", "b", "2")));
    assertThat(new JsonArray().isEmpty()).isTrue();
  }
}
