package space.mission.alert.engine;

import space.mission.alert.rules.LogRule;
import space.mission.alert.rules.RuleSet;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusUpdate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The alert system's decisions, made in memory and nothing else: readings, log matches, status
 * updates and backup events go in; alert changes, notifications and silences come out
 * ({@link #drain()}). It does no I/O and reads time only from its clock, so it is tested with a
 * controllable clock and no infrastructure, and one thread (the alert verticle's) drives it.
 *
 * <p>Each rule family is a {@link RuleEvaluator} that decides when its conditions start and end;
 * the {@link AlertLifecycle} they share takes an alert from there: PENDING, FIRING once its
 * condition has held for the rule's {@code for} duration, RESOLVED when it no longer holds. Alerts
 * of one rule that fire within the group wait are notified together; a firing alert is notified
 * again every repeat interval until it is acknowledged or resolves; a resolved alert whose firing
 * was notified is notified at once. Silenced alerts fire but are not notified. This class only
 * hands each input to the families and reads the clock once per input.
 */
public final class AlertEngine {

  /**
   * The rule of the alert about the alert system itself: a decision the database refused for good
   * (its data cannot be stored) was dropped. It fires at once and resolves after a repeat interval
   * without another refusal.
   */
  public static final String WRITE_REFUSED_RULE = "alert-write-refused";

  private final RuleSet rules;
  private final Clock clock;
  private final AlertLifecycle lifecycle;
  private final MissingMonitorEvaluator monitors;
  private final LogEvaluator logs;
  private final BackupEvaluator backups;
  private final WriteRefusalEvaluator writeRefusals;
  /**
   * Every family, in the order they see an input and a tick: a reading first tells that its monitor
   * is alive, then is held against the thresholds; the built-in refusal alert comes last, so a
   * configured rule of its name would be the one that takes a restored alert.
   */
  private final List<RuleEvaluator> evaluators;

  /** What the engine knows of backups: kept in the database, so a restart knows how old the recovery point is. */
  public record BackupWatch(Instant newestVerified, Instant watchingSince) {
  }

  /** A monitor the engine has heard from. */
  public record MonitorSeen(String host, String instance, int intervalSeconds, Instant lastSeen) {
  }

  /** The result of an acknowledgement: the alert, or why it could not be acknowledged. */
  public record Acknowledgement(AlertView alert, String refusal, boolean missing) {
  }

  public AlertEngine(RuleSet rules, Clock clock, Duration groupWait, Duration repeatInterval, boolean logSourcesAreGroups) {
    this.rules = rules;
    this.clock = clock;
    this.lifecycle = new AlertLifecycle(groupWait, repeatInterval);
    this.monitors = new MissingMonitorEvaluator(lifecycle, rules.missingMonitor());
    this.logs = new LogEvaluator(lifecycle, rules.logs(), logSourcesAreGroups);
    this.backups = new BackupEvaluator(lifecycle, rules.backups());
    this.writeRefusals = new WriteRefusalEvaluator(lifecycle);
    this.evaluators = List.of(monitors, new ReadingEvaluator(lifecycle, rules.readings()), backups, logs,
      new StatusEvaluator(lifecycle, rules.status()), writeRefusals);
  }

  /** The rules this engine evaluates. */
  public RuleSet rules() {
    return rules;
  }

  // ---------------------------------------------------------------- inputs

  public void onReading(ResourceReading reading) {
    Instant now = clock.instant();
    boolean evaluated = false;
    for (RuleEvaluator evaluator : evaluators) {
      evaluated |= evaluator.onReading(reading, now);
    }
    sendDueGroups(evaluated, now);
  }

  /** A log line matched {@code rule}'s pattern at {@code timestampMillis}. */
  public void onLogMatch(LogRule rule, long timestampMillis) {
    Instant now = clock.instant();
    logs.onMatch(rule, timestampMillis, now);
    lifecycle.flushGroups(now);
  }

  public void onStatusUpdate(StatusUpdate update) {
    Instant now = clock.instant();
    boolean evaluated = false;
    for (RuleEvaluator evaluator : evaluators) {
      evaluated |= evaluator.onStatusUpdate(update, now);
    }
    sendDueGroups(evaluated, now);
  }

  /** A backup failed (fires the failure rule), succeeded (resolves it), was verified (the recovery point moves). */
  public void onBackupEvent(BackupEvent event) {
    Instant now = clock.instant();
    boolean evaluated = false;
    for (RuleEvaluator evaluator : evaluators) {
      evaluated |= evaluator.onBackupEvent(event, now);
    }
    sendDueGroups(evaluated, now);
  }

  /** The store refused a decision for good and it was dropped: say so, as an alert. */
  public void onWriteRefused(String error) {
    Instant now = clock.instant();
    writeRefusals.onRefused(error, now);
    lifecycle.flushGroups(now);
  }

  private void sendDueGroups(boolean evaluated, Instant now) {
    if (evaluated) {
      lifecycle.flushGroups(now);
    }
  }

  /** What time alone changes: silent monitors, log windows, the recovery point's age, group waits, repeats, silences ending. */
  public void tick() {
    Instant now = clock.instant();
    for (RuleEvaluator evaluator : evaluators) {
      evaluator.tick(now);
    }
    lifecycle.tick(now);
  }

  /**
   * Sends every waiting group now. Used while replaying updates recorded during a takeover: they
   * arrive at once, so without this a fire-and-resolve pair inside the group wait would be told to
   * no one, though subscribers would have heard of both had no takeover happened.
   */
  public void sendGroupsNow() {
    lifecycle.sendGroupsNow(clock.instant());
  }

  /** The backup watch, once each time it changed (for the caller to save). */
  public Optional<BackupWatch> backupWatchToSave() {
    return backups.watchToSave();
  }

  // ---------------------------------------------------------------- operator actions

  public Acknowledgement acknowledge(String fingerprint, String by, String comment) {
    return lifecycle.acknowledge(fingerprint, by, comment, clock.instant());
  }

  public Silence addSilence(List<Matcher> matchers, Instant startsAt, Instant endsAt, String author, String comment) {
    Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt, endsAt, author, comment, clock.instant(), null);
    lifecycle.addSilence(silence);
    return silence;
  }

  /** Ends a silence now; what it muted and still fires is told at once (a tick runs). */
  public Optional<Silence> expireSilence(String id, String by) {
    Optional<Silence> expired = lifecycle.expireSilence(id, by, clock.instant());
    expired.ifPresent(silence -> tick());
    return expired;
  }

  // ---------------------------------------------------------------- reads

  public Optional<AlertView> alert(String fingerprint) {
    return lifecycle.alert(fingerprint);
  }

  /** Pending and firing alerts, most severe and oldest first. */
  public List<AlertView> active() {
    return lifecycle.active();
  }

  /** The ids of the silences muting {@code alert} now. */
  public List<String> silencedBy(AlertView alert) {
    return lifecycle.silencedBy(alert, clock.instant());
  }

  public List<Silence> silences() {
    return lifecycle.silences();
  }

  public List<MonitorSeen> monitors() {
    return monitors.seen();
  }

  /** What was decided since the last call. */
  public Outcome drain() {
    return lifecycle.drain();
  }

  /** Takes back the state kept in the store after a restart. */
  public void restore(List<AlertView> active, List<Silence> kept, List<MonitorSeen> seen, BackupWatch backupWatch) {
    if (backupWatch != null) {
      backups.restore(backupWatch);
    }
    monitors.restore(seen);
    kept.forEach(lifecycle::keepSilence);
    Instant now = clock.instant();
    for (AlertView view : active) {
      Alert alert = Alert.restore(view);
      lifecycle.adopt(alert);
      if (evaluators.stream().noneMatch(evaluator -> evaluator.adopt(alert, now))) {
        // its rule was removed from the configuration: resolve it rather than leave it firing forever
        lifecycle.resolve(alert, now, "its rule is no longer configured");
      }
    }
  }
}
