package space.mission.alert.rules;

import space.mission.common.bus.Severity;
import space.mission.runtime.logs.FilterPattern;

import java.time.Duration;

/**
 * Fires when at least {@code count} log lines matching {@code pattern} arrive within {@code window};
 * resolves when the count in the window falls below it. Lines come from the CloudWatch Logs group
 * {@code group} in AWS mode, from the local JSON-lines stream {@code stream} (a file under
 * {@code data/logs}) otherwise.
 */
public record LogRule(String name, String group, String stream, FilterPattern pattern, Duration window, int count, Severity severity) {
}
