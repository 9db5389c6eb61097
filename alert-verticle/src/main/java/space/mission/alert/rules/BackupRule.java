package space.mission.alert.rules;

import space.mission.common.bus.Severity;

import java.time.Duration;

/**
 * Watches {@code mission.backup.event}: a FAILED backup fires {@code failedName} (the next
 * successful backup resolves it), and no verified backup for longer than {@code rpo}, the recovery
 * point objective, fires {@code staleName} (a verified backup resolves it). Either part can be off.
 */
public record BackupRule(String failedName, Severity failedSeverity, String staleName, Duration rpo, Severity staleSeverity) {

  public boolean watchesFailures() {
    return failedName != null;
  }

  public boolean watchesAge() {
    return staleName != null;
  }
}
