package space.mission.alert.engine;

import space.mission.common.bus.Severity;

import java.time.Instant;
import java.util.Map;

/** The engine's working state of one alert; only the engine (its lifecycle and the family that raised it) changes it, on one thread. */
final class Alert {

  final String fingerprint;
  final String rule;
  final Map<String, String> labels;
  Severity severity;
  AlertState state;
  Double value;
  String summary;
  Instant startsAt;
  Instant firedAt;
  Instant resolvedAt;
  Instant notifiedAt;
  boolean firingNotified;
  int repeats;
  String acknowledgedBy;
  Instant acknowledgedAt;
  String acknowledgeComment;

  Alert(String fingerprint, String rule, Map<String, String> labels, Severity severity, Instant startsAt) {
    this.fingerprint = fingerprint;
    this.rule = rule;
    this.labels = labels;
    this.severity = severity;
    this.startsAt = startsAt;
    this.state = AlertState.PENDING;
  }

  static Alert restore(AlertView view) {
    Alert alert = new Alert(view.fingerprint(), view.rule(), view.labels(), view.severity(), view.startsAt());
    alert.state = view.state();
    alert.value = view.value();
    alert.summary = view.summary();
    alert.firedAt = view.firedAt();
    alert.resolvedAt = view.resolvedAt();
    alert.notifiedAt = view.notifiedAt();
    alert.firingNotified = view.firingNotified();
    alert.repeats = view.repeats();
    alert.acknowledgedBy = view.acknowledgedBy();
    alert.acknowledgedAt = view.acknowledgedAt();
    alert.acknowledgeComment = view.acknowledgeComment();
    return alert;
  }

  AlertView view() {
    return new AlertView(fingerprint, rule, severity, labels, state, value, summary, startsAt, firedAt, resolvedAt,
      notifiedAt, firingNotified, repeats, acknowledgedBy, acknowledgedAt, acknowledgeComment);
  }

  /** Where the alert is, in a few words: the host, or the mission and subsystem. */
  String where() {
    if (labels.containsKey("mission")) {
      return labels.get("mission") + (labels.containsKey("subsystem") ? "/" + labels.get("subsystem") : "");
    }
    StringBuilder where = new StringBuilder(labels.getOrDefault("host", labels.getOrDefault("source", rule)));
    for (String item : new String[] {"mount", "interface", "core"}) {
      if (labels.containsKey(item)) {
        where.append(' ').append(item).append(' ').append(labels.get(item));
      }
    }
    return where.toString();
  }
}
