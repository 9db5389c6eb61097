package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;
import space.mission.alert.rules.BackupRule;
import space.mission.alert.rules.LogRule;
import space.mission.alert.rules.Metric;
import space.mission.alert.rules.MissingMonitorRule;
import space.mission.alert.rules.ReadingRule;
import space.mission.alert.rules.RuleSet;
import space.mission.alert.rules.StatusRule;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.Level;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.Severity;
import space.mission.common.bus.StatusUpdate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The alert lifecycle, decided in memory and nothing else: readings, log matches and status
 * updates go in; alert changes, notifications and silences come out ({@link #drain()}). It does no
 * I/O and reads time only from its clock, so it is tested with a controllable clock and no
 * infrastructure, and one thread (the alert verticle's) drives it.
 *
 * <p>An alert is identified by its fingerprint (rule + labels). It goes PENDING when its condition
 * first holds, FIRING once it has held for the rule's {@code for} duration, and RESOLVED when it no
 * longer holds (for reading rules: once the value is back past the clear threshold). Alerts of one
 * rule that fire within the group wait are notified together; a firing alert is notified again
 * every repeat interval until it is acknowledged or resolves; a resolved alert whose firing was
 * notified is notified at once. Silenced alerts fire but are not notified.
 */
public final class AlertEngine implements Metric.Sink {

  private final RuleSet rules;
  private final Clock clock;
  private final Duration groupWait;
  private final Duration repeatInterval;
  private final boolean logSourcesAreGroups;

  /** Reading-rule alerts, per rule, by host, then by item (core, mount, interface; "" for none). */
  private final Map<String, Map<String, Map<String, Alert>>> readingAlerts = new HashMap<>();
  private final Map<String, Alert> alerts = new LinkedHashMap<>();
  private final Map<String, Monitor> monitors = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> logMatches = new HashMap<>();
  private final Map<String, Alert> logAlerts = new HashMap<>();
  private final Map<String, Alert> statusAlerts = new HashMap<>();
  private Alert backupFailed;
  private Alert backupStale;
  private Alert writeRefused;
  private Instant lastWriteRefusal;
  private long writesRefused;
  private Instant newestVerifiedBackup;
  private Instant watchingBackupsSince;
  private boolean backupWatchChanged;
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final Map<String, List<Alert>> groups = new LinkedHashMap<>();
  private final Map<String, Instant> groupDeadlines = new HashMap<>();

  private final List<Change> changes = new ArrayList<>();
  private final List<Notification> notifications = new ArrayList<>();
  private final List<Silence> silenceChanges = new ArrayList<>();

  // the reading being evaluated, for accept(): no allocation per rule on the hot path
  private ReadingRule currentRule;
  private String currentHost;
  private Instant currentNow;

  /** What the engine knows of backups: kept in the database, so a restart knows how old the recovery point is. */
  public record BackupWatch(Instant newestVerified, Instant watchingSince) {
  }

  /** A monitor the engine has heard from. */
  public record MonitorSeen(String host, String instance, int intervalSeconds, Instant lastSeen) {
  }

  private static final class Monitor {
    final String host;
    final String instance;
    int intervalSeconds;
    Instant lastSeen;
    Alert alert;

    Monitor(String host, String instance) {
      this.host = host;
      this.instance = instance;
    }
  }

  public AlertEngine(RuleSet rules, Clock clock, Duration groupWait, Duration repeatInterval, boolean logSourcesAreGroups) {
    this.rules = rules;
    this.clock = clock;
    this.groupWait = groupWait;
    this.repeatInterval = repeatInterval;
    this.logSourcesAreGroups = logSourcesAreGroups;
    for (ReadingRule rule : rules.readings()) {
      readingAlerts.put(rule.name(), new HashMap<>());
    }
  }

  /** The rules this engine evaluates. */
  public RuleSet rules() {
    return rules;
  }

  // ---------------------------------------------------------------- inputs

  public void onReading(ResourceReading reading) {
    Instant now = clock.instant();
    seeMonitor(reading, now);
    currentHost = reading.host();
    currentNow = now;
    for (ReadingRule rule : rules.readings()) {
      if (rule.appliesTo(reading.host())) {
        currentRule = rule;
        rule.metric().each(reading, this);
      }
    }
    flushGroups(now);
  }

  /** One value of the reading under evaluation (called by {@link Metric#each}). */
  @Override
  public void accept(String item, double value) {
    ReadingRule rule = currentRule;
    Map<String, Alert> byItem = readingAlerts.get(rule.name()).get(currentHost);
    Alert alert = byItem == null ? null : byItem.get(item == null ? "" : item);
    if (alert == null) {
      if (rule.breaches(value)) {
        start(rule, currentHost, item, value, currentNow);
      }
      return;
    }
    alert.value = value;
    alert.summary = summary(rule, value, alert);
    if (alert.state == AlertState.PENDING) {
      if (!rule.breaches(value)) {
        clear(alert, currentNow);
        forgetReadingAlert(rule, currentHost, item);
      } else if (!currentNow.isBefore(alert.startsAt.plus(rule.forDuration()))) {
        fire(alert, currentNow);
      }
    } else if (!rule.stillBreaches(value)) {
      resolve(alert, currentNow, "the value is back past the clear threshold " + rule.clear());
      forgetReadingAlert(rule, currentHost, item);
    }
  }

  /**
   * A log line matched {@code rule}'s pattern at {@code timestampMillis}. Only the newest
   * {@code count} matches are kept: enough to tell whether {@code count} fell within the window,
   * so a flood of errors costs no memory.
   */
  public void onLogMatch(LogRule rule, long timestampMillis) {
    ArrayDeque<Long> matches = logMatches.computeIfAbsent(rule.name(), name -> new ArrayDeque<>());
    if (matches.isEmpty() || timestampMillis >= matches.peekLast()) {
      matches.addLast(timestampMillis);
    } else {
      List<Long> sorted = new ArrayList<>(matches);
      sorted.add(timestampMillis);
      sorted.sort(Long::compare);
      matches.clear();
      matches.addAll(sorted);
    }
    while (matches.size() > rule.count()) {
      matches.pollFirst();
    }
    Instant now = clock.instant();
    evaluateLog(rule, now);
    flushGroups(now);
  }

  public void onStatusUpdate(StatusUpdate update) {
    Optional<StatusRule> rule = rules.status();
    if (rule.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    String key = update.missionId() + "/" + update.subsystem();
    Alert alert = statusAlerts.get(key);
    if (update.level() == Level.WARNING || update.level() == Level.CRITICAL) {
      Severity severity = update.level() == Level.CRITICAL ? Severity.CRITICAL : Severity.WARNING;
      String summary = update.subsystem() + " of " + update.missionId() + " reports " + update.level() + ": " + update.message();
      if (alert == null) {
        // the episode starts at the update's recording (the database's time), so every instance that decides it names its notifications alike
        alert = create(rule.get().name(), labels("mission", update.missionId(), "subsystem", update.subsystem()), severity,
          update.recordedAt() == null ? now : update.recordedAt());
        alert.summary = summary;
        statusAlerts.put(key, alert);
        fire(alert, now);
      } else if (severity != alert.severity) {
        boolean escalated = severity.compareTo(alert.severity) > 0;
        alert.severity = severity;
        alert.summary = summary;
        record(alert, escalated ? "ESCALATED" : "DEESCALATED", null, new JsonObject().put("severity", severity.name()));
        if (escalated && alert.firingNotified && !silenced(alert, now)) {
          notifyAlone(alert, Notification.Kind.FIRING, ":escalated:" + severity, now);
        }
      }
    } else if (update.level() == Level.NOMINAL && alert != null) {
      alert.summary = update.subsystem() + " of " + update.missionId() + " reports NOMINAL again: " + update.message();
      resolve(alert, now, "the subsystem reports NOMINAL");
      statusAlerts.remove(key);
    }
    flushGroups(now);
  }

  /** A backup failed (fires the failure rule), succeeded (resolves it), was verified (the recovery point moves). */
  public void onBackupEvent(BackupEvent event) {
    Optional<BackupRule> rule = rules.backups();
    if (rule.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    if (event.type() == BackupEvent.Type.FAILED && rule.get().watchesFailures()) {
      String summary = "backup " + event.backupId() + " failed: " + event.error();
      if (backupFailed == null) {
        backupFailed = create(rule.get().failedName(), labels("source", "backups"), rule.get().failedSeverity(), now);
        backupFailed.summary = summary;
        fire(backupFailed, now);
      } else {
        backupFailed.summary = summary;
      }
    } else if (event.type() == BackupEvent.Type.SUCCEEDED) {
      if (backupFailed != null) {
        backupFailed.summary = "backup " + event.backupId() + " succeeded";
        resolve(backupFailed, now, "a backup succeeded");
        backupFailed = null;
      }
      if (Boolean.TRUE.equals(event.verified()) && (newestVerifiedBackup == null || event.at().isAfter(newestVerifiedBackup))) {
        newestVerifiedBackup = event.at();
        backupWatchChanged = true;
        if (backupStale != null) {
          backupStale.summary = "backup " + event.backupId() + " is verified: the recovery point is current again";
          resolve(backupStale, now, "a verified backup");
          backupStale = null;
        }
      }
    }
    flushGroups(now);
  }

  /**
   * The rule of the alert about the alert system itself: a decision the database refused for good
   * (its data cannot be stored) was dropped. It fires at once and resolves after a repeat interval
   * without another refusal.
   */
  public static final String WRITE_REFUSED_RULE = "alert-write-refused";

  /** The store refused a decision for good and it was dropped: say so, as an alert. */
  public void onWriteRefused(String error) {
    Instant now = clock.instant();
    writesRefused++;
    lastWriteRefusal = now;
    String summary = writesRefused + " alert decision" + (writesRefused == 1 ? " was" : "s were")
      + " dropped because the database refused to store them; the last: " + error;
    if (writeRefused == null) {
      writeRefused = create(WRITE_REFUSED_RULE, labels("source", "alert-store"), Severity.WARNING, now);
      writeRefused.summary = summary;
      writeRefused.value = (double) writesRefused;
      fire(writeRefused, now);
    } else {
      writeRefused.summary = summary;
      writeRefused.value = (double) writesRefused;
    }
    flushGroups(now);
  }

  private void checkWriteRefusals(Instant now) {
    if (writeRefused != null && lastWriteRefusal.plus(repeatInterval).isBefore(now)) {
      writeRefused.summary = "no alert decision refused by the database since " + lastWriteRefusal;
      resolve(writeRefused, now, "no refusal for a repeat interval");
      writeRefused = null;
      writesRefused = 0;
    }
  }

  /** The backup watch, once each time it changed (for the caller to save). */
  public Optional<BackupWatch> backupWatchToSave() {
    if (!backupWatchChanged) {
      return Optional.empty();
    }
    backupWatchChanged = false;
    return Optional.of(new BackupWatch(newestVerifiedBackup, watchingBackupsSince));
  }

  private void checkBackupAge(BackupRule rule, Instant now) {
    if (watchingBackupsSince == null) {
      watchingBackupsSince = now;
      backupWatchChanged = true;
    }
    Instant since = newestVerifiedBackup != null ? newestVerifiedBackup : watchingBackupsSince;
    Duration age = Duration.between(since, now);
    if (backupStale == null && age.compareTo(rule.rpo()) > 0) {
      backupStale = create(rule.staleName(), labels("source", "backups"), rule.staleSeverity(), now);
      backupStale.value = age.toMinutes() / 60.0;
      backupStale.summary = newestVerifiedBackup == null
        ? "no verified backup since " + watchingBackupsSince + " (recovery point objective " + rule.rpo().toHours() + " h)"
        : "the newest verified backup is from " + newestVerifiedBackup + ", older than the recovery point objective of " + rule.rpo().toHours() + " h";
      fire(backupStale, now);
    } else if (backupStale != null) {
      backupStale.value = age.toMinutes() / 60.0;
    }
  }

  /** What time alone changes: silent monitors, log windows, group waits, repeats, silences ending, the recovery point's age. */
  public void tick() {
    Instant now = clock.instant();
    rules.missingMonitor().ifPresent(rule -> checkMonitors(rule, now));
    rules.backups().filter(BackupRule::watchesAge).ifPresent(rule -> checkBackupAge(rule, now));
    for (LogRule rule : rules.logs()) {
      evaluateLog(rule, now);
    }
    for (Alert alert : alerts.values()) {
      // firing but never told (a silence ended, or the process restarted before the group was sent)
      if (alert.state == AlertState.FIRING && !alert.firingNotified && !inGroup(alert) && !silenced(alert, now)) {
        group(alert, now);
      }
    }
    checkWriteRefusals(now);
    repeats(now);
    flushGroups(now);
    silences.values().removeIf(silence -> silence.endsAt().isBefore(now.minus(Duration.ofDays(1))));
  }

  // ---------------------------------------------------------------- operator actions

  /** The result of an acknowledgement: the alert, or why it could not be acknowledged. */
  public record Acknowledgement(AlertView alert, String refusal, boolean missing) {
  }

  public Acknowledgement acknowledge(String fingerprint, String by, String comment) {
    Alert alert = alerts.get(fingerprint);
    if (alert == null) {
      return new Acknowledgement(null, "no active alert has fingerprint " + fingerprint, true);
    }
    if (alert.state != AlertState.FIRING) {
      return new Acknowledgement(alert.view(), "alert " + fingerprint + " is " + alert.state + "; only a firing alert can be acknowledged", false);
    }
    if (alert.acknowledgedBy != null) {
      // the same person again (a retried request) gets the acknowledgement that stands; anyone else learns who was first
      return alert.acknowledgedBy.equals(by) ? new Acknowledgement(alert.view(), null, false)
        : new Acknowledgement(alert.view(), "alert " + fingerprint + " was already acknowledged by " + alert.acknowledgedBy + " at "
        + alert.acknowledgedAt, false);
    }
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = clock.instant();
    alert.acknowledgeComment = comment;
    record(alert, "ACKNOWLEDGED", by, new JsonObject().put("comment", comment));
    return new Acknowledgement(alert.view(), null, false);
  }

  public Silence addSilence(List<Matcher> matchers, Instant startsAt, Instant endsAt, String author, String comment) {
    Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt, endsAt, author, comment, clock.instant(), null);
    silences.put(silence.id(), silence);
    silenceChanges.add(silence);
    return silence;
  }

  public Optional<Silence> expireSilence(String id, String by) {
    Silence silence = silences.get(id);
    if (silence == null) {
      return Optional.empty();
    }
    Silence expired = silence.expired(clock.instant(), by);
    silences.put(id, expired);
    silenceChanges.add(expired);
    tick();
    return Optional.of(expired);
  }

  // ---------------------------------------------------------------- reads

  public Optional<AlertView> alert(String fingerprint) {
    return Optional.ofNullable(alerts.get(fingerprint)).map(Alert::view);
  }

  /** Pending and firing alerts, most severe and oldest first. */
  public List<AlertView> active() {
    return alerts.values().stream().map(Alert::view)
      .sorted(Comparator.comparing(AlertView::severity).reversed().thenComparing(AlertView::startsAt))
      .toList();
  }

  /** The ids of the silences muting {@code alert} now. */
  public List<String> silencedBy(AlertView alert) {
    Instant now = clock.instant();
    return silences.values().stream().filter(silence -> silence.activeAt(now) && silence.mutes(alert.rule(), alert.labels()))
      .map(Silence::id).toList();
  }

  public List<Silence> silences() {
    return List.copyOf(silences.values());
  }

  public List<MonitorSeen> monitors() {
    return monitors.values().stream().map(m -> new MonitorSeen(m.host, m.instance, m.intervalSeconds, m.lastSeen)).toList();
  }

  /** What was decided since the last call. */
  public Outcome drain() {
    Outcome outcome = new Outcome(changes, notifications, silenceChanges);
    changes.clear();
    notifications.clear();
    silenceChanges.clear();
    return outcome;
  }

  /** Takes back the state kept in the store after a restart. */
  public void restore(List<AlertView> active, List<Silence> kept, List<MonitorSeen> seen, BackupWatch backups) {
    if (backups != null) {
      newestVerifiedBackup = backups.newestVerified();
      watchingBackupsSince = backups.watchingSince();
    }
    for (MonitorSeen monitor : seen) {
      Monitor restored = new Monitor(monitor.host(), monitor.instance());
      restored.intervalSeconds = monitor.intervalSeconds();
      restored.lastSeen = monitor.lastSeen();
      monitors.put(monitor.host() + "/" + monitor.instance(), restored);
    }
    for (Silence silence : kept) {
      silences.put(silence.id(), silence);
    }
    for (AlertView view : active) {
      Alert alert = Alert.restore(view);
      alerts.put(alert.fingerprint, alert);
      if (readingAlerts.containsKey(alert.rule)) {
        ReadingRule rule = rules.readings().stream().filter(r -> r.name().equals(alert.rule)).findFirst().orElseThrow();
        String item = rule.metric().itemLabel == null ? "" : alert.labels.getOrDefault(rule.metric().itemLabel, "");
        readingAlerts.get(alert.rule).computeIfAbsent(alert.labels.get("host"), h -> new HashMap<>()).put(item, alert);
      } else if (rules.missingMonitor().map(rule -> rule.name().equals(alert.rule)).orElse(false)) {
        Monitor monitor = monitors.computeIfAbsent(alert.labels.get("host") + "/" + alert.labels.get("instance"),
          key -> new Monitor(alert.labels.get("host"), alert.labels.get("instance")));
        monitor.alert = alert;
      } else if (rules.status().map(rule -> rule.name().equals(alert.rule)).orElse(false)) {
        statusAlerts.put(alert.labels.get("mission") + "/" + alert.labels.get("subsystem"), alert);
      } else if (rules.logs().stream().anyMatch(rule -> rule.name().equals(alert.rule))) {
        logAlerts.put(alert.rule, alert);
      } else if (rules.backups().map(rule -> alert.rule.equals(rule.failedName())).orElse(false)) {
        backupFailed = alert;
      } else if (rules.backups().map(rule -> alert.rule.equals(rule.staleName())).orElse(false)) {
        backupStale = alert;
      } else if (WRITE_REFUSED_RULE.equals(alert.rule)) {
        writeRefused = alert;
        lastWriteRefusal = clock.instant();
        writesRefused = alert.value == null ? 1 : alert.value.longValue();
      } else {
        // its rule was removed from the configuration: resolve it rather than leave it firing forever
        resolve(alert, clock.instant(), "its rule is no longer configured");
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void start(ReadingRule rule, String host, String item, double value, Instant now) {
    Map<String, String> labels = item == null ? labels("host", host) : labels("host", host, rule.metric().itemLabel, item);
    Alert alert = create(rule.name(), labels, rule.severity(), now);
    alert.value = value;
    alert.summary = summary(rule, value, alert);
    readingAlerts.get(rule.name()).computeIfAbsent(host, h -> new HashMap<>()).put(item == null ? "" : item, alert);
    if (rule.forDuration().isZero()) {
      fire(alert, now);
    } else {
      record(alert, "PENDING", null, null);
    }
  }

  private Alert create(String rule, Map<String, String> labels, Severity severity, Instant now) {
    Alert alert = new Alert(fingerprint(rule, labels), rule, labels, severity, now);
    alerts.put(alert.fingerprint, alert);
    return alert;
  }

  private void fire(Alert alert, Instant now) {
    alert.state = AlertState.FIRING;
    alert.firedAt = now;
    record(alert, "FIRING", null, null);
    group(alert, now);
  }

  /** A pending alert whose condition went away before its "for" duration: it never fired. */
  private void clear(Alert alert, Instant now) {
    alert.state = AlertState.RESOLVED;
    alert.resolvedAt = now;
    alerts.remove(alert.fingerprint);
    record(alert, "CLEARED", null, null);
  }

  private void resolve(Alert alert, Instant now, String why) {
    alert.state = AlertState.RESOLVED;
    alert.resolvedAt = now;
    alerts.remove(alert.fingerprint);
    record(alert, "RESOLVED", null, new JsonObject().put("why", why));
    List<Alert> group = groups.get(alert.rule);
    if (group != null && group.remove(alert)) {
      // resolved before its group was sent: nobody was told it fired, so nobody is told it resolved
      return;
    }
    if (alert.firingNotified && !silenced(alert, now)) {
      notifyAlone(alert, Notification.Kind.RESOLVED, ":resolved", now);
    }
  }

  private void forgetReadingAlert(ReadingRule rule, String host, String item) {
    Map<String, Alert> byItem = readingAlerts.get(rule.name()).get(host);
    if (byItem != null) {
      byItem.remove(item == null ? "" : item);
      if (byItem.isEmpty()) {
        readingAlerts.get(rule.name()).remove(host);
      }
    }
  }

  private void seeMonitor(ResourceReading reading, Instant now) {
    Monitor monitor = monitors.computeIfAbsent(reading.host() + "/" + reading.instance(), key -> new Monitor(reading.host(), reading.instance()));
    monitor.lastSeen = now;
    if (reading.intervalSeconds() > 0) {
      monitor.intervalSeconds = reading.intervalSeconds();
    }
    if (monitor.alert != null) {
      monitor.alert.summary = "monitor " + monitor.instance + " on " + monitor.host + " reports again";
      resolve(monitor.alert, now, "the monitor reports again");
      monitor.alert = null;
    }
  }

  private void checkMonitors(MissingMonitorRule rule, Instant now) {
    List<String> forgotten = new ArrayList<>();
    for (Map.Entry<String, Monitor> entry : monitors.entrySet()) {
      Monitor monitor = entry.getValue();
      Duration silent = Duration.between(monitor.lastSeen, now);
      if (silent.compareTo(rule.forgetAfter()) > 0) {
        forgotten.add(entry.getKey());
        if (monitor.alert != null) {
          resolve(monitor.alert, now, "the monitor was silent for " + rule.forgetAfter() + " and is forgotten");
        }
        continue;
      }
      int interval = monitor.intervalSeconds > 0 ? monitor.intervalSeconds : rule.defaultIntervalSeconds();
      if (monitor.alert == null && silent.compareTo(Duration.ofSeconds((long) interval * rule.intervals())) > 0) {
        Alert alert = create(rule.name(), labels("host", monitor.host, "instance", monitor.instance), rule.severity(), now);
        alert.value = (double) silent.toSeconds();
        alert.summary = "monitor " + monitor.instance + " on " + monitor.host + " stopped reporting " + silent.toSeconds()
          + " s ago (it reports every " + interval + " s)";
        monitor.alert = alert;
        fire(alert, now);
      } else if (monitor.alert != null) {
        monitor.alert.value = (double) silent.toSeconds();
      }
    }
    forgotten.forEach(monitors::remove);
  }

  private void evaluateLog(LogRule rule, Instant now) {
    ArrayDeque<Long> matches = logMatches.computeIfAbsent(rule.name(), name -> new ArrayDeque<>());
    long oldest = now.minus(rule.window()).toEpochMilli();
    while (!matches.isEmpty() && matches.peekFirst() < oldest) {
      matches.pollFirst();
    }
    Alert alert = logAlerts.get(rule.name());
    int count = matches.size();
    if (alert == null && count >= rule.count()) {
      alert = create(rule.name(), labels("source", logSourcesAreGroups ? rule.group() : "data/logs/" + rule.stream()), rule.severity(), now);
      alert.value = (double) count;
      alert.summary = "at least " + count + " log lines matching " + rule.pattern().text() + " within " + rule.window().toSeconds() + " s";
      logAlerts.put(rule.name(), alert);
      fire(alert, now);
    } else if (alert != null) {
      alert.value = (double) count;
      if (count < rule.count()) {
        alert.summary = "log lines matching " + rule.pattern().text() + " are back under " + rule.count() + " in " + rule.window().toSeconds() + " s";
        resolve(alert, now, "fewer than " + rule.count() + " matching lines in the window");
        logAlerts.remove(rule.name());
      }
    }
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

  /**
   * Sends every waiting group now. Used while replaying updates recorded during a takeover: they
   * arrive at once, so without this a fire-and-resolve pair inside the group wait would be told to
   * no one, though subscribers would have heard of both had no takeover happened.
   */
  public void sendGroupsNow() {
    Instant now = clock.instant();
    groupDeadlines.replaceAll((rule, deadline) -> now);
    flushGroups(now);
  }

  private void flushGroups(Instant now) {
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
        dedupId(told, ":firing"), now));
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
        dedupId(members, ":repeat:" + members.get(0).repeats), now));
      members.forEach(alert -> changes.add(new Change(alert.view(), null, null, null)));
    });
  }

  private void notifyAlone(Alert alert, Notification.Kind kind, String suffix, Instant now) {
    alert.notifiedAt = now;
    notifications.add(new Notification(kind, alert.rule, alert.severity, List.of(alert.view()), dedupId(List.of(alert), suffix), now));
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

  private void record(Alert alert, String event, String actor, JsonObject detail) {
    changes.add(new Change(alert.view(), event, actor, detail));
  }

  private static List<AlertView> views(List<Alert> alerts) {
    return alerts.stream().map(Alert::view).toList();
  }

  /**
   * A deduplication id that the same decision always gets: one alert's episode (fingerprint and
   * start), or for a group, a digest of its members' episodes.
   */
  static String dedupId(List<Alert> members, String suffix) {
    if (members.size() == 1) {
      Alert alert = members.get(0);
      return alert.fingerprint + ":" + alert.startsAt.toEpochMilli() + suffix;
    }
    StringBuilder all = new StringBuilder();
    members.stream().map(alert -> alert.fingerprint + ":" + alert.startsAt.toEpochMilli()).sorted().forEach(id -> all.append(id).append('\n'));
    return "group:" + members.get(0).rule + ":" + digest(all.toString()).substring(0, 24) + suffix;
  }

  static String fingerprint(String rule, Map<String, String> labels) {
    StringBuilder text = new StringBuilder(rule);
    new TreeMap<>(labels).forEach((key, value) -> text.append('\n').append(key).append('=').append(value));
    return digest(text.toString()).substring(0, 16);
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> labels(String... pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }

  private static String summary(ReadingRule rule, double value, Alert alert) {
    return rule.metric().key + " " + Math.round(value * 100) / 100.0 + " " + rule.comparison().symbol + " " + rule.threshold()
      + " on " + alert.where();
  }
}
