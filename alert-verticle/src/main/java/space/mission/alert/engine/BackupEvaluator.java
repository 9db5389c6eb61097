package space.mission.alert.engine;

import space.mission.alert.rules.BackupRule;
import space.mission.common.bus.BackupEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Backups: a FAILED backup fires the failure rule and the next success resolves it; no verified
 * backup for longer than the recovery point objective fires the staleness rule and a verified one
 * resolves it. How old the recovery point is must survive a restart, so the watch is handed out
 * for saving each time it changes ({@link #watchToSave()}) and taken back by {@link #restore}.
 */
final class BackupEvaluator implements RuleEvaluator {

  private final AlertLifecycle lifecycle;
  private final Optional<BackupRule> rule;
  private Alert failed;
  private Alert stale;
  private Instant newestVerified;
  private Instant watchingSince;
  private boolean watchChanged;

  BackupEvaluator(AlertLifecycle lifecycle, Optional<BackupRule> rule) {
    this.lifecycle = lifecycle;
    this.rule = rule;
  }

  @Override
  public boolean onBackupEvent(BackupEvent event, Instant now) {
    if (rule.isEmpty()) {
      return false;
    }
    if (event.type() == BackupEvent.Type.FAILED && rule.get().watchesFailures()) {
      String summary = "backup " + event.backupId() + " failed: " + event.error();
      if (failed == null) {
        failed = lifecycle.open(rule.get().failedName(), Labels.of("source", "backups"), rule.get().failedSeverity(), now);
        failed.summary = summary;
        lifecycle.fire(failed, now);
      } else {
        failed.summary = summary;
      }
    } else if (event.type() == BackupEvent.Type.SUCCEEDED) {
      if (failed != null) {
        failed.summary = "backup " + event.backupId() + " succeeded";
        lifecycle.resolve(failed, now, "a backup succeeded");
        failed = null;
      }
      if (Boolean.TRUE.equals(event.verified()) && (newestVerified == null || event.at().isAfter(newestVerified))) {
        newestVerified = event.at();
        watchChanged = true;
        if (stale != null) {
          stale.summary = "backup " + event.backupId() + " is verified: the recovery point is current again";
          lifecycle.resolve(stale, now, "a verified backup");
          stale = null;
        }
      }
    }
    return true;
  }

  @Override
  public void tick(Instant now) {
    rule.filter(BackupRule::watchesAge).ifPresent(backups -> checkAge(backups, now));
  }

  private void checkAge(BackupRule rule, Instant now) {
    if (watchingSince == null) {
      watchingSince = now;
      watchChanged = true;
    }
    Instant since = newestVerified != null ? newestVerified : watchingSince;
    Duration age = Duration.between(since, now);
    if (stale == null && age.compareTo(rule.rpo()) > 0) {
      stale = lifecycle.open(rule.staleName(), Labels.of("source", "backups"), rule.staleSeverity(), now);
      stale.value = age.toMinutes() / 60.0;
      stale.summary = newestVerified == null
        ? "no verified backup since " + watchingSince + " (recovery point objective " + rule.rpo().toHours() + " h)"
        : "the newest verified backup is from " + newestVerified + ", older than the recovery point objective of " + rule.rpo().toHours() + " h";
      lifecycle.fire(stale, now);
    } else if (stale != null) {
      stale.value = age.toMinutes() / 60.0;
    }
  }

  /** The watch, once each time it changed. */
  Optional<AlertEngine.BackupWatch> watchToSave() {
    if (!watchChanged) {
      return Optional.empty();
    }
    watchChanged = false;
    return Optional.of(new AlertEngine.BackupWatch(newestVerified, watchingSince));
  }

  void restore(AlertEngine.BackupWatch watch) {
    newestVerified = watch.newestVerified();
    watchingSince = watch.watchingSince();
  }

  @Override
  public boolean adopt(Alert alert, Instant now) {
    if (rule.map(backups -> alert.rule.equals(backups.failedName())).orElse(false)) {
      failed = alert;
      return true;
    }
    if (rule.map(backups -> alert.rule.equals(backups.staleName())).orElse(false)) {
      stale = alert;
      return true;
    }
    return false;
  }
}
