package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;
import space.mission.alert.rules.RuleParser;
import space.mission.alert.rules.RuleSet;
import space.mission.common.bus.ResourceReading;
import space.mission.testkit.TestClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine's tests share: a controllable clock, the rules they run, readings to feed, and
 * the history an outcome records. One test class per family, and one for the lifecycle they share.
 */
abstract class EngineTestBase {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static final RuleSet DEFAULTS = rules("""
    {"readings": [
       {"name": "cpu-high", "metric": "cpu.usage", "comparison": ">", "threshold": 90, "clear": 80, "for": "1m", "severity": "CRITICAL"},
       {"name": "disk-full", "metric": "disk.usage", "comparison": ">", "threshold": 85, "clear": 80, "for": "0s", "severity": "WARNING"}],
     "missingMonitor": {"name": "monitor-missing", "intervals": 3, "severity": "CRITICAL", "forgetAfter": "24h", "defaultIntervalSeconds": 5},
     "logs": [{"name": "error-burst", "group": "/g", "stream": "app", "pattern": "ERROR", "window": "1m", "count": 3, "severity": "WARNING"}],
     "status": {"name": "mission-status"}}
    """);

  final TestClock clock = TestClock.at(T0);

  static RuleSet rules(String yamlishJson) {
    return RuleParser.parse(new JsonObject(yamlishJson));
  }

  /** An engine on the default rules, with a repeat interval of 4 h. */
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

  /** The history an outcome records, as {@code rule:EVENT} in the stored spelling. */
  static List<String> events(Outcome outcome) {
    List<String> events = new ArrayList<>();
    outcome.changes().stream().filter(Change::historic).forEach(change -> events.add(change.alert().rule() + ":" + change.event().stored()));
    return events;
  }
}
