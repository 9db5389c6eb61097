package space.mission.alert.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.engine.AlertState;
import space.mission.alert.engine.AlertView;
import space.mission.alert.engine.Change;
import space.mission.alert.engine.Matcher;
import space.mission.alert.engine.Notification;
import space.mission.alert.engine.Outcome;
import space.mission.alert.engine.Silence;
import space.mission.common.bus.Severity;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.common.text.Characters;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The alert role's state in MySQL. {@link #persist} writes everything one engine decision produced
 * (alert rows, history, silences, outbox entries) in one transaction, so a notification exists
 * exactly when the alert change that called for it does.
 */
public final class AlertStore {

  private final Pool pool;
  private final SingletonLease.Fence fence;

  public AlertStore(Pool pool) {
    this(pool, null);
  }

  /**
   * With {@code fence}, every write that is an effect of the role (a decision, an outbox row sent)
   * checks in its own transaction that the lease is still held in that generation, and fails with
   * {@link SingletonLease.LeaseLostException} otherwise.
   */
  public AlertStore(Pool pool, SingletonLease.Fence fence) {
    this.pool = pool;
    this.fence = fence;
  }

  /** A send inside a transaction that holds the lease row is bounded, so a hung SNS call cannot hold up the lease's renewals. */
  private Future<Void> sendWithin(Supplier<Future<Void>> send) {
    return fence == null ? send.get() : send.get().timeout(fence.maxHoldMillis(), TimeUnit.MILLISECONDS);
  }

  private Future<Void> fenced(SqlConnection connection) {
    return fence == null ? Future.succeededFuture() : fence.check(connection);
  }

  /** Writes {@code outcome}; answers the outbox entries it created (a notification decided before is not written twice). */
  public Future<List<OutboxEntry>> persist(Outcome outcome, Instant now) {
    return persist(outcome, now, 0);
  }

  /**
   * Writes {@code outcome} and, in the same transaction, moves the status watermark to
   * {@code statusWatermark} (the newest status update applied before it was decided; 0 for none):
   * the watermark says exactly which updates the committed decisions cover.
   */
  public Future<List<OutboxEntry>> persist(Outcome outcome, Instant now, long statusWatermark) {
    return pool.withTransaction(connection -> fenced(connection)
      .compose(held -> writeChanges(connection, outcome.changes(), now))
      .compose(done -> writeSilences(connection, outcome.silences()))
      .compose(done -> statusWatermark <= 0 ? Future.succeededFuture()
        : connection.preparedQuery(AlertQueries.ADVANCE_STATUS_WATERMARK).execute(Tuple.of(statusWatermark)))
      .compose(done -> writeOutbox(connection, outcome.notifications(), now)));
  }

  private Future<Void> writeChanges(SqlConnection connection, List<Change> changes, Instant now) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    // the last change of each alert is its state; every historic change goes into the history
    Map<String, AlertView> latest = new LinkedHashMap<>();
    List<Tuple> history = new ArrayList<>();
    for (Change change : changes) {
      AlertView alert = change.alert();
      latest.put(alert.fingerprint(), alert);
      if (change.historic()) {
        history.add(Tuple.of(alert.fingerprint(), alert.rule(), change.event().stored(), alert.state().name(), alert.severity().name(),
          labels(alert), alert.value(), alert.summary(), change.actor(), change.detail(), column(now)));
      }
    }
    List<Tuple> rows = new ArrayList<>();
    for (AlertView alert : latest.values()) {
      rows.add(Tuple.of(alert.fingerprint(), alert.rule(), alert.severity().name(), labels(alert), alert.state().name(), alert.value(),
          alert.summary(), column(alert.startsAt()), column(alert.firedAt()), column(alert.resolvedAt()),
          column(alert.notifiedAt()), alert.firingNotified(), alert.repeats(), alert.acknowledgedBy(), column(alert.acknowledgedAt()))
        .addValue(alert.acknowledgeComment()).addValue(column(now)));
    }
    Future<?> upserts = connection.preparedQuery(AlertQueries.UPSERT_ALERT).executeBatch(rows);
    return upserts.compose(done -> history.isEmpty() ? Future.succeededFuture()
      : connection.preparedQuery(AlertQueries.INSERT_HISTORY).executeBatch(history)).mapEmpty();
  }

  private Future<Void> writeSilences(SqlConnection connection, List<Silence> silences) {
    if (silences.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    for (Silence silence : silences) {
      JsonArray matchers = new JsonArray();
      silence.matchers().forEach(matcher -> matchers.add(matcher.toJson()));
      rows.add(Tuple.of(silence.id(), matchers, column(silence.startsAt()), column(silence.endsAt()), silence.author(),
        silence.comment(), column(silence.createdAt()), silence.expiredBy()));
    }
    return connection.preparedQuery(AlertQueries.UPSERT_SILENCE).executeBatch(rows).mapEmpty();
  }

  private Future<List<OutboxEntry>> writeOutbox(SqlConnection connection, List<Notification> notifications, Instant now) {
    if (notifications.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> rows = new ArrayList<>();
    List<JsonArray> bodies = new ArrayList<>();
    for (Notification notification : notifications) {
      JsonArray alerts = new JsonArray();
      notification.alerts().forEach(alert -> alerts.add(alert.toJson()));
      bodies.add(alerts);
      rows.add(Tuple.of(notification.dedupId(), notification.kind().name(), notification.rule(), notification.severity().name(),
        alerts, column(notification.createdAt()), column(now)));
    }
    return connection.preparedQuery(AlertQueries.INSERT_OUTBOX).executeBatch(rows).map(results -> {
      List<OutboxEntry> entries = new ArrayList<>();
      RowSet<Row> result = results;
      for (int i = 0; i < notifications.size(); i++) {
        Notification notification = notifications.get(i);
        if (result.rowCount() > 0) {
          entries.add(new OutboxEntry(result.property(MySQLClient.LAST_INSERTED_ID), notification.dedupId(), notification.kind(),
            notification.rule(), notification.severity(), bodies.get(i), stored(notification.createdAt()), 0));
        }
        result = result.next();
      }
      return entries;
    });
  }

  /** Pending and firing alerts, silences not ended a day ago, monitors heard from: what the engine restores. */
  public Future<Restored> load(Instant now) {
    Future<List<AlertView>> alerts = pool.query(AlertQueries.ACTIVE_ALERTS).execute().map(rows -> {
      List<AlertView> views = new ArrayList<>();
      rows.forEach(row -> views.add(alert(row)));
      return views;
    });
    Future<List<Silence>> silences = pool.preparedQuery(AlertQueries.SILENCES_ENDING_AFTER).execute(Tuple.of(column(now.minus(1, ChronoUnit.DAYS))))
      .map(rows -> {
        List<Silence> list = new ArrayList<>();
        rows.forEach(row -> list.add(silence(row)));
        return list;
      });
    Future<List<AlertEngine.MonitorSeen>> monitors = pool.query(AlertQueries.HEARTBEATS).execute().map(rows -> {
      List<AlertEngine.MonitorSeen> list = new ArrayList<>();
      rows.forEach(row -> list.add(new AlertEngine.MonitorSeen(row.getString("host"), row.getString("instance"),
        row.getInteger("interval_seconds"), instant(row.getLocalDateTime("last_seen")))));
      return list;
    });
    Future<AlertEngine.BackupWatch> backups = pool.query(AlertQueries.BACKUP_WATCH).execute().map(rows -> rows.size() == 0 ? null
      : new AlertEngine.BackupWatch(instant(rows.iterator().next().getLocalDateTime("newest_verified_at")),
        instant(rows.iterator().next().getLocalDateTime("watching_since"))));
    Future<Long> watermark = pool.query(AlertQueries.STATUS_WATERMARK).execute()
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("last_update_id"));
    return Future.all(List.of(alerts, silences, monitors, backups, watermark))
      .map(all -> new Restored(alerts.result(), silences.result(), monitors.result(), backups.result(), watermark.result()));
  }

  /**
   * What the engine restores; {@code backups} is null before the first start that watched backups,
   * {@code statusWatermark} before the first decision committed with one.
   */
  public record Restored(List<AlertView> alerts, List<Silence> silences, List<AlertEngine.MonitorSeen> monitors,
                         AlertEngine.BackupWatch backups, Long statusWatermark) {
  }

  public Future<Void> saveBackupWatch(AlertEngine.BackupWatch watch) {
    return pool.preparedQuery(AlertQueries.UPSERT_BACKUP_WATCH).execute(Tuple.of(column(watch.newestVerified()), column(watch.watchingSince())))
      .mapEmpty();
  }

  public Future<Void> saveMonitors(List<AlertEngine.MonitorSeen> seen) {
    if (seen.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>();
    seen.forEach(monitor -> rows.add(Tuple.of(monitor.host(), monitor.instance(), monitor.intervalSeconds(), column(monitor.lastSeen()))));
    return pool.preparedQuery(AlertQueries.UPSERT_HEARTBEAT).executeBatch(rows).mapEmpty();
  }

  public Future<Void> forgetMonitor(String host, String instance) {
    return pool.preparedQuery(AlertQueries.DELETE_HEARTBEAT).execute(Tuple.of(host, instance)).mapEmpty();
  }

  /** State changes, newest first, before {@code beforeId}; of one alert when {@code fingerprint} is given. */
  public Future<List<JsonObject>> history(String fingerprint, long beforeId, int limit) {
    return pool.preparedQuery(AlertQueries.HISTORY).execute(Tuple.of(beforeId, fingerprint, fingerprint, limit)).map(rows -> {
      List<JsonObject> items = new ArrayList<>();
      for (Row row : rows) {
        items.add(new JsonObject()
          .put("id", row.getLong("id"))
          .put("fingerprint", row.getString("fingerprint"))
          .put("rule", row.getString("rule"))
          .put("event", row.getString("event"))
          .put("state", row.getString("state"))
          .put("severity", row.getString("severity"))
          .put("labels", json(row.getValue("labels")))
          .put("value", row.getDouble("value"))
          .put("summary", row.getString("summary"))
          .put("actor", row.getString("actor") == null ? "system" : row.getString("actor"))
          .put("detail", row.getValue("detail") == null ? null : json(row.getValue("detail")))
          .put("at", instant(row.getLocalDateTime("at")).toString()));
      }
      return items;
    });
  }

  // ---------------------------------------------------------------- outbox

  /** The oldest unsent outbox rows, whatever ids were seen before: ids are taken before commit, so a lower one may commit later. */
  public Future<List<OutboxEntry>> pendingOutbox(int limit) {
    return pool.preparedQuery(AlertQueries.OUTBOX_PENDING).execute(Tuple.of(limit)).map(rows -> {
      List<OutboxEntry> entries = new ArrayList<>();
      for (Row row : rows) {
        entries.add(new OutboxEntry(row.getLong("id"), row.getString("dedup_id"), Notification.Kind.valueOf(row.getString("kind")),
          row.getString("rule"), Severity.valueOf(row.getString("severity")), jsonArray(row.getValue("alerts")),
          instant(row.getLocalDateTime("created_at")), row.getInteger("attempts")));
      }
      return entries;
    });
  }

  public Future<Void> markSent(long id, Instant at) {
    return pool.withTransaction(connection -> fenced(connection)
      .compose(held -> connection.preparedQuery(AlertQueries.OUTBOX_SENT).execute(Tuple.of(column(at), id)))).mapEmpty();
  }

  /**
   * Claims outbox row {@code id} and runs {@code send} in one transaction that also holds the lease
   * row, then marks the row sent before committing: true when this call sent it, false when it was
   * sent already or another sender holds it. A takeover waits for this commit, and a sender that
   * lost the lease sends nothing. A send slower than {@link SingletonLease.Fence#maxHoldMillis()}
   * fails this attempt (it is retried). Should the commit fail after the send, or a timed-out send
   * still arrive, the row is sent again later, with the same dedup id.
   */
  public Future<Boolean> sendClaimed(long id, Supplier<Future<Void>> send,
                                     Supplier<Instant> clock) {
    return pool.withTransaction(connection -> fenced(connection)
      .compose(held -> connection.preparedQuery(AlertQueries.OUTBOX_CLAIM).execute(Tuple.of(id)))
      .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
        : sendWithin(send).compose(sent -> connection.preparedQuery(AlertQueries.OUTBOX_SENT).execute(Tuple.of(column(clock.get()), id)))
          .map(true)));
  }

  public Future<Void> markFailed(long id, Instant nextAttempt, String error) {
    return pool.preparedQuery(AlertQueries.OUTBOX_FAILED).execute(Tuple.of(column(nextAttempt), Characters.atMost(error, 1000), id)).mapEmpty();
  }

  public Future<Void> markDropped(long id, Instant at, String why) {
    return pool.preparedQuery(AlertQueries.OUTBOX_DROPPED).execute(Tuple.of(column(at), Characters.atMost(why, 1000), id)).mapEmpty();
  }

  // ---------------------------------------------------------------- log tail checkpoints

  public Future<Optional<JsonObject>> checkpoint(String source) {
    return pool.preparedQuery(AlertQueries.CHECKPOINT).execute(Tuple.of(source))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(json(rows.iterator().next().getValue("position"))));
  }

  public Future<Void> saveCheckpoint(String source, JsonObject position, Instant now) {
    return pool.preparedQuery(AlertQueries.UPSERT_CHECKPOINT).execute(Tuple.of(source, position, column(now))).mapEmpty();
  }

  // ---------------------------------------------------------------- rows

  private static AlertView alert(Row row) {
    Map<String, String> labels = new LinkedHashMap<>();
    json(row.getValue("labels")).forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
    Object notified = row.getValue("firing_notified");
    return new AlertView(row.getString("fingerprint"), row.getString("rule"), Severity.valueOf(row.getString("severity")), labels,
      AlertState.valueOf(row.getString("state")), row.getDouble("value"), row.getString("summary"),
      instant(row.getLocalDateTime("starts_at")), instant(row.getLocalDateTime("fired_at")), instant(row.getLocalDateTime("resolved_at")),
      instant(row.getLocalDateTime("notified_at")), notified instanceof Boolean b ? b : ((Number) notified).intValue() != 0,
      row.getInteger("repeats"), row.getString("acknowledged_by"), instant(row.getLocalDateTime("acknowledged_at")),
      row.getString("acknowledge_comment"));
  }

  private static Silence silence(Row row) {
    List<Matcher> matchers = new ArrayList<>();
    JsonArray list = jsonArray(row.getValue("matchers"));
    for (int i = 0; i < list.size(); i++) {
      matchers.add(Matcher.fromJson(list.getJsonObject(i)));
    }
    return new Silence(row.getString("id"), matchers, instant(row.getLocalDateTime("starts_at")), instant(row.getLocalDateTime("ends_at")),
      row.getString("author"), row.getString("comment"), instant(row.getLocalDateTime("created_at")), row.getString("expired_by"));
  }

  private static JsonObject labels(AlertView alert) {
    JsonObject labels = new JsonObject();
    alert.labels().forEach(labels::put);
    return labels;
  }

  /** MariaDB returns JSON columns as text, MySQL 8 as JSON values. */
  static JsonObject json(Object value) {
    return value instanceof JsonObject object ? object : new JsonObject(value.toString());
  }

  static JsonArray jsonArray(Object value) {
    return value instanceof JsonArray array ? array : new JsonArray(value.toString());
  }

  static LocalDateTime column(Instant value) {
    return value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC);
  }

  static Instant instant(LocalDateTime value) {
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  static Instant stored(Instant value) {
    return value.truncatedTo(ChronoUnit.MICROS);
  }
}
