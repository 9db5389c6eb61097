package space.mission.status.db;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Status updates in MySQL. Stateless: safe to share between event loops. */
public final class UpdateRepository {

  /** A mission's newest update id and version, as the database has them. */
  public record Watermark(long missionVersion, long maxUpdateId) {
  }

  private final Pool pool;

  public UpdateRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts every update in one transaction (one commit for the lot) and answers their ids in
   * order. Each row is its own statement so each gets its own auto-increment id, whatever the
   * server's auto-increment lock mode.
   */
  public Future<List<StatusUpdate>> insertAll(List<NewUpdate> updates, Instant recordedAt) {
    Instant at = Rows.stored(recordedAt);
    List<Tuple> rows = new ArrayList<>(updates.size());
    for (NewUpdate update : updates) {
      rows.add(tuple(update, at));
    }
    return pool.withTransaction(connection -> connection.preparedQuery(SqlQueries.INSERT_UPDATE).executeBatch(rows))
      .map(results -> {
        List<StatusUpdate> stored = new ArrayList<>(updates.size());
        RowSet<Row> result = results;
        for (NewUpdate update : updates) {
          stored.add(update.stored(result.property(MySQLClient.LAST_INSERTED_ID), at));
          result = result.next();
        }
        return stored;
      });
  }

  /** Inserts one update on its own; fails with {@link DuplicateKeyException} on a repeated idempotency key. */
  public Future<StatusUpdate> insert(NewUpdate update, Instant recordedAt) {
    Instant at = Rows.stored(recordedAt);
    return pool.preparedQuery(SqlQueries.INSERT_UPDATE).execute(tuple(update, at))
      .recover(DatabaseFailures::duplicateKeyAsConflict)
      .map(result -> update.stored(result.property(MySQLClient.LAST_INSERTED_ID), at));
  }

  private static Tuple tuple(NewUpdate update, Instant at) {
    return Tuple.of(update.missionId(), update.subsystem(), update.level().name(), update.message(), update.telemetry(),
      Rows.column(Rows.stored(update.reportedAt())), Rows.column(at), update.idempotencyKey());
  }

  public Future<Optional<StatusUpdate>> find(String missionId, long id) {
    return pool.preparedQuery(SqlQueries.SELECT_UPDATE).execute(Tuple.of(missionId, id)).map(UpdateRepository::first);
  }

  public Future<Optional<StatusUpdate>> findByIdempotencyKey(String missionId, String key) {
    return pool.preparedQuery(SqlQueries.SELECT_UPDATE_BY_IDEMPOTENCY_KEY).execute(Tuple.of(missionId, key)).map(UpdateRepository::first);
  }

  /** Up to {@code limit} updates older than {@code beforeId}, newest first. */
  public Future<List<StatusUpdate>> newestFirst(String missionId, long beforeId, String subsystem, Level level, int limit) {
    return list(SqlQueries.LIST_UPDATES_NEWEST_FIRST, missionId, beforeId, subsystem, level, limit);
  }

  /** Up to {@code limit} updates newer than {@code afterId}, oldest first. */
  public Future<List<StatusUpdate>> after(String missionId, long afterId, String subsystem, Level level, int limit) {
    return list(SqlQueries.LIST_UPDATES_AFTER, missionId, afterId, subsystem, level, limit);
  }

  /**
   * Up to {@code limit} updates newer than {@code afterId}, oldest first, of the given missions
   * (every mission when empty): what a live-feed client missed.
   */
  public Future<List<StatusUpdate>> allAfter(long afterId, Set<String> missions, int limit) {
    if (missions.isEmpty()) {
      return pool.preparedQuery(SqlQueries.LIST_ALL_UPDATES_AFTER).execute(Tuple.of(afterId, limit)).map(UpdateRepository::all);
    }
    List<Future<List<StatusUpdate>>> perMission = missions.stream().map(mission -> after(mission, afterId, null, null, limit)).toList();
    return Future.all(perMission).map(done -> perMission.stream().flatMap(found -> found.result().stream())
      .sorted(Comparator.comparingLong(StatusUpdate::id)).limit(limit).toList());
  }

  private Future<List<StatusUpdate>> list(String sql, String missionId, long bound, String subsystem, Level level, int limit) {
    String levelName = level == null ? null : level.name();
    Tuple args = Tuple.of(missionId, bound, subsystem, subsystem, levelName, levelName).addInteger(limit);
    return pool.preparedQuery(sql).execute(args).map(UpdateRepository::all);
  }

  /** The newest update of each of the mission's subsystems, by subsystem name. */
  public Future<List<StatusUpdate>> latestPerSubsystem(String missionId) {
    return pool.preparedQuery(SqlQueries.LATEST_PER_SUBSYSTEM).execute(Tuple.of(missionId)).map(UpdateRepository::all);
  }

  /** The newest update of every subsystem of every mission, oldest first. */
  public Future<List<StatusUpdate>> latestEverywhere() {
    return pool.query(SqlQueries.LATEST_EVERYWHERE).execute().map(UpdateRepository::all);
  }

  /** Updates with an id above {@code after}, oldest first, at most {@code limit}. */
  public Future<List<StatusUpdate>> after(long after, int limit) {
    return pool.preparedQuery(SqlQueries.UPDATES_AFTER).execute(Tuple.of(after, limit)).map(UpdateRepository::all);
  }

  public Future<Map<String, Watermark>> watermarks() {
    return pool.query(SqlQueries.MISSION_WATERMARKS).execute().map(rows -> {
      Map<String, Watermark> marks = new HashMap<>();
      for (Row row : rows) {
        Long maxId = row.getLong("max_update_id");
        marks.put(row.getString("id"), new Watermark(row.getLong("version"), maxId == null ? 0 : maxId));
      }
      return marks;
    });
  }

  private static Optional<StatusUpdate> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Rows.update(rows.iterator().next()));
  }

  private static List<StatusUpdate> all(RowSet<Row> rows) {
    List<StatusUpdate> updates = new ArrayList<>(rows.size());
    for (Row row : rows) {
      updates.add(Rows.update(row));
    }
    return updates;
  }
}
