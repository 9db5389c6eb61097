package space.mission.alert.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.alert.rules.RuleSet;
import space.mission.common.bus.BackupEvent;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Backup failures and the recovery point's age. */
class BackupEvaluatorTest extends EngineTestBase {

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
  @DisplayName("With only the staleness rule a failed backup fires nothing; an unverified success does not move the recovery point")
  void staleOnly() {
    RuleSet staleOnly = rules("""
      {"backupStale": {"name": "backup-stale", "rpo": "1h", "severity": "WARNING"}}
      """);
    AlertEngine engine = new AlertEngine(staleOnly, clock, Duration.ZERO, Duration.ofHours(4), false);
    engine.tick();
    engine.backupWatchToSave();
    engine.onBackupEvent(BackupEvent.failed("b-1", clock.instant(), "disk full"));
    assertThat(engine.drain().isEmpty()).isTrue();
    engine.onBackupEvent(new BackupEvent(BackupEvent.Type.SUCCEEDED, "b-2", clock.instant(), 10L, 1L, "c", false, null));
    assertThat(engine.backupWatchToSave()).isEmpty();
    clock.advance(Duration.ofMinutes(61));
    engine.tick();
    assertThat(engine.active()).singleElement().satisfies(alert -> {
      assertThat(alert.rule()).isEqualTo("backup-stale");
      assertThat(alert.summary()).startsWith("no verified backup since " + T0);
    });
  }
}
