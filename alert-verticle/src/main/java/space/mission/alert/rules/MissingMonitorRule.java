package space.mission.alert.rules;

import space.mission.common.bus.Severity;

import java.time.Duration;

/**
 * Fires when a monitor that was reporting stops for {@code intervals} of its sampling intervals;
 * resolves when it reports again. A monitor silent for {@code forgetAfter} is forgotten (its alert
 * resolves), so a decommissioned host does not alert forever.
 */
public record MissingMonitorRule(String name, int intervals, Severity severity, Duration forgetAfter, int defaultIntervalSeconds) {
}
