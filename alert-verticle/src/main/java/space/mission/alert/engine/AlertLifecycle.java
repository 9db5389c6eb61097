package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;
import space.mission.common.bus.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What every alert goes through, whatever its rule family: PENDING, FIRING, RESOLVED (or CLEARED
 * when it never fired); the group wait before a firing is told; repeats every repeat interval
 * until it is acknowledged; silences that mute the telling but not the firing. The evaluators
 * decide when a condition starts or ends and call in here; this class alone changes an alert's
 * state and writes what was decided (changes, notifications, silences) for {@link #drain()}.
 */
final class AlertLifecycle {

  private final Duration groupWait;
  private final Duration repeatInterval;

  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final Map<String, List<Alert>> groups = new LinkedHashMap<>();
  private final Map<String, Instant> groupDeadlines = new HashMap<>();

  private final List<Change> changes = new ArrayList<>();
  private final List<Notification> notifications = new ArrayList<>();
  private final List<Silence> silenceChanges = new ArrayList<>();

  AlertLifecycle(Duration groupWait, Duration repeatInterval) {
    this.groupWait = groupWait;
    this.repeatInterval = repeatInterval;
  }

  Duration repeatInterval() {
    return repeatInterval;
  }

  // ---------------------------------------------------------------- states

  /** A new alert, PENDING until {@link #fire} or {@link #pending} says what happened. */
  Alert open(String rule, Map<String, String> labels, Severity severity, Instant startsAt) {
    Alert alert = new Alert(AlertIds.fingerprint(rule, labels), rule, labels, severity, startsAt);
    alerts.put(alert.fingerprint, alert);
    return alert;
  }

  /** An alert taken back from the store: it is active again, as it was. */
  void adopt(Alert alert) {
    alerts.put(alert.fingerprint, alert);
  }

  /** The condition holds but must last the rule's "for" duration before the alert fires. */
  void pending(Alert alert) {
    record(alert, HistoryEvent.PENDING, null, null);
  }

  void fire(Alert alert, Instant now) {
    alert.state = AlertState.FIRING;
    alert.firedAt = now;
    record(alert, HistoryEvent.FIRING, null, null);
    group(alert, now);
  }

  /** A pending alert whose condition went away before its "for" duration: it never fired. */
  void clear(Alert alert, Instant now) {
    alert.state = AlertState.RESOLVED;
    alert.resolvedAt = now;
    alerts.remove(alert.fingerprint);
    record(alert, HistoryEvent.CLEARED, null, null);
  }

  void resolve(Alert alert, Instant now, String why) {
    alert.state = AlertState.RESOLVED;
    alert.resolvedAt = now;
    alerts.remove(alert.fingerprint);
    record(alert, HistoryEvent.RESOLVED, null, new JsonObject().put("why", why));
    List<Alert> group = groups.get(alert.rule);
    if (group != null && group.remove(alert)) {
      // resolved before its group was sent: nobody was told it fired, so nobody is told it resolved
      return;
    }
    if (alert.firingNotified && !silenced(alert, now)) {
      notifyAlone(alert, Notification.Kind.RESOLVED, ":resolved", now);
    }
  }

  /**
   * The alert's severity changed while it fires. Subscribers who were told it fired are told again
   * when it got worse (under a deduplication id of its own), not when it got better.
   */
  void changeSeverity(Alert alert, Severity severity, Instant now) {
    boolean escalated = severity.compareTo(alert.severity) > 0;
    alert.severity = severity;
    record(alert, escalated ? HistoryEvent.ESCALATED : HistoryEvent.DEESCALATED, null, new JsonObject().put("severity", severity.name()));
    if (escalated && alert.firingNotified && !silenced(alert, now)) {
      notifyAlone(alert, Notification.Kind.FIRING, ":escalated:" + severity, now);
    }
  }

  // ---------------------------------------------------------------- operator actions

  AlertEngine.Acknowledgement acknowledge(String fingerprint, String by, String comment, Instant now) {
    Alert alert = alerts.get(fingerprint);
    if (alert == null) {
      return new AlertEngine.Acknowledgement(null, "no active alert has fingerprint " + fingerprint, true);
    }
    if (alert.state != AlertState.FIRING) {
      return new AlertEngine.Acknowledgement(alert.view(), "alert " + fingerprint + " is " + alert.state
        + "; only a firing alert can be acknowledged", false);
    }
    if (alert.acknowledgedBy != null) {
      // the same person again (a retried request) gets the acknowledgement that stands; anyone else learns who was first
      return alert.acknowledgedBy.equals(by) ? new AlertEngine.Acknowledgement(alert.view(), null, false)
        : new AlertEngine.Acknowledgement(alert.view(), "alert " + fingerprint + " was already acknowledged by " + alert.acknowledgedBy + " at "
        + alert.acknowledgedAt, false);
    }
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = now;
    alert.acknowledgeComment = comment;
    record(alert, HistoryEvent.ACKNOWLEDGED, by, new JsonObject().put("comment", comment));
    return new AlertEngine.Acknowledgement(alert.view(), null, false);
  }

  void addSilence(Silence silence) {
    silences.put(silence.id(), silence);
    silenceChanges.add(silence);
  }

  Optional<Silence> expireSilence(String id, String by, Instant now) {
    Silence silence = silences.get(id);
    if (silence == null) {
      return Optional.empty();
    }
    Silence expired = silence.expired(now, by);
    silences.put(id, expired);
    silenceChanges.add(expired);
    return Optional.of(expired);
  }

  /** A silence taken back from the store. */
  void keepSilence(Silence silence) {
    silences.put(silence.id(), silence);
  }

  // ---------------------------------------------------------------- time

  /**
   * What time alone changes in the lifecycle, after the evaluators had their turn: firings never
   * told are told, repeats and groups that are due go out, silences a day past their end are forgotten.
   */
  void tick(Instant now) {
    for (Alert alert : alerts.values()) {
      // firing but never told (a silence ended, or the process restarted before the group was sent)
      if (alert.state == AlertState.FIRING && !alert.firingNotified && !inGroup(alert) && !silenced(alert, now)) {
        group(alert, now);
      }
    }
    repeats(now);
    flushGroups(now);
    silences.values().removeIf(silence -> silence.endsAt().isBefore(now.minus(Duration.ofDays(1))));
  }

  // ---------------------------------------------------------------- reads

  Optional<AlertView> alert(String fingerprint) {
    return Optional.ofNullable(alerts.get(fingerprint)).map(Alert::view);
  }

  Collection<Alert> alerts() {
    return alerts.values();
  }

  /** Pending and firing alerts, most severe and oldest first. */
  List<AlertView> active() {
    return alerts.values().stream().map(Alert::view)
      .sorted(Comparator.comparing(AlertView::severity).reversed().thenComparing(AlertView::startsAt))
      .toList();
  }

  List<String> silencedBy(AlertView alert, Instant now) {
    return silences.values().stream().filter(silence -> silence.activeAt(now) && silence.mutes(alert.rule(), alert.labels()))
      .map(Silence::id).toList();
  }

  List<Silence> silences() {
    return List.copyOf(silences.values());
  }

  Outcome drain() {
    Outcome outcome = new Outcome(changes, notifications, silenceChanges);
    changes.clear();
    notifications.clear();
    silenceChanges.clear();
    return outcome;
  }

  // ---------------------------------------------------------------- notifications

  private void group(Alert alert, Instant now) {
    groups.computeIfAbsent(alert.rule, rule -> new ArrayList<>()).add(alert);
    groupDeadlines.putIfAbsent(alert.rule, now.plus(groupWait));
  }

  private boolean inGroup(Alert alert) {
    List<Alert> group = groups.get(alert.rule);
    return group != null && group.contains(alert);
  }

  /** Every waiting group is due now (see {@link AlertEngine#sendGroupsNow()}). */
  void sendGroupsNow(Instant now) {
    groupDeadlines.replaceAll((rule, deadline) -> now);
    flushGroups(now);
  }

  /** Sends the groups whose wait is over: one notification per rule, of its members still firing and not silenced. */
  void flushGroups(Instant now) {
    if (groupDeadlines.isEmpty()) {
      return;
    }
    List<String> due = new ArrayList<>();
    groupDeadlines.forEach((rule, deadline) -> {
      if (!now.isBefore(deadline)) {
        due.add(rule);
      }
    });
    for (String rule : due) {
      groupDeadlines.remove(rule);
      List<Alert> members = groups.remove(rule);
      if (members == null) {
        continue;
      }
      List<Alert> told = members.stream().filter(alert -> alert.state == AlertState.FIRING && !silenced(alert, now)).toList();
      if (told.isEmpty()) {
        continue;
      }
      for (Alert alert : told) {
        alert.firingNotified = true;
        alert.notifiedAt = now;
      }
      notifications.add(new Notification(Notification.Kind.FIRING, rule, Notification.worst(views(told)), views(told),
        AlertIds.dedupId(told, ":firing"), now));
      told.forEach(alert -> changes.add(new Change(alert.view(), null, null, null)));
    }
  }

  private void repeats(Instant now) {
    Map<String, List<Alert>> due = new TreeMap<>();
    for (Alert alert : alerts.values()) {
      if (alert.state == AlertState.FIRING && alert.firingNotified && alert.acknowledgedBy == null
        && !now.isBefore(alert.notifiedAt.plus(repeatInterval)) && !silenced(alert, now)) {
        due.computeIfAbsent(alert.rule, rule -> new ArrayList<>()).add(alert);
      }
    }
    due.forEach((rule, members) -> {
      for (Alert alert : members) {
        alert.repeats++;
        alert.notifiedAt = now;
      }
      notifications.add(new Notification(Notification.Kind.REPEAT, rule, Notification.worst(views(members)), views(members),
        AlertIds.dedupId(members, ":repeat:" + members.get(0).repeats), now));
      members.forEach(alert -> changes.add(new Change(alert.view(), null, null, null)));
    });
  }

  private void notifyAlone(Alert alert, Notification.Kind kind, String suffix, Instant now) {
    alert.notifiedAt = now;
    notifications.add(new Notification(kind, alert.rule, alert.severity, List.of(alert.view()), AlertIds.dedupId(List.of(alert), suffix), now));
    changes.add(new Change(alert.view(), null, null, null));
  }

  private boolean silenced(Alert alert, Instant now) {
    for (Silence silence : silences.values()) {
      if (silence.activeAt(now) && silence.mutes(alert.rule, alert.labels)) {
        return true;
      }
    }
    return false;
  }

  private void record(Alert alert, HistoryEvent event, String actor, JsonObject detail) {
    changes.add(new Change(alert.view(), event, actor, detail));
  }

  private static List<AlertView> views(List<Alert> alerts) {
    return alerts.stream().map(Alert::view).toList();
  }
}
