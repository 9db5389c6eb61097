package space.mission.alert.rules;

import space.mission.common.bus.Severity;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Fires when a reading's value breaches a threshold for a while: {@code metric comparison threshold}
 * true for {@code forDuration}; resolves only once the value is back past {@code clear} (hysteresis,
 * so a value hovering at the threshold does not flap). {@code hosts} optionally limits the hosts.
 */
public record ReadingRule(String name, Metric metric, Comparison comparison, double threshold, double clear,
                          Duration forDuration, Severity severity, Pattern hosts) {

  public boolean breaches(double value) {
    return comparison.holds(value, threshold);
  }

  /** Whether a value keeps an alert that is already pending or firing: the clear threshold has not been passed. */
  public boolean stillBreaches(double value) {
    return comparison.holds(value, clear);
  }

  public boolean appliesTo(String host) {
    return hosts == null || hosts.matcher(host).matches();
  }
}
