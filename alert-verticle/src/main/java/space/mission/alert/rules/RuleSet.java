package space.mission.alert.rules;

import java.util.List;
import java.util.Optional;

/** Every rule the alert role evaluates. */
public record RuleSet(List<ReadingRule> readings, Optional<MissingMonitorRule> missingMonitor, List<LogRule> logs,
                      Optional<StatusRule> status, Optional<BackupRule> backups) {

  public RuleSet {
    readings = List.copyOf(readings);
    logs = List.copyOf(logs);
  }
}
