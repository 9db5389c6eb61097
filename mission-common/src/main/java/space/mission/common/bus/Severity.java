package space.mission.common.bus;

/** How urgent an alert is, least to most urgent. */
public enum Severity {
  INFO, WARNING, CRITICAL
}
