package space.mission.status.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import space.mission.common.bus.Mission;
import space.mission.common.bus.Phase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Missions in MySQL. Stateless: safe to share between event loops. */
public final class MissionRepository {

  /** A mission with its position in the list order (for cursors). */
  public record Listed(long seq, Mission mission) {
  }

  private final Pool pool;

  public MissionRepository(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a new mission; fails with {@link DuplicateKeyException} when the id is taken. */
  public Future<Mission> insert(String id, String name, String destination, Phase phase, int expectedReportSeconds, Instant now) {
    Instant at = Rows.stored(now);
    return pool.preparedQuery(SqlQueries.INSERT_MISSION)
      .execute(Tuple.of(id, name, destination, phase.name(), expectedReportSeconds, Rows.column(at), Rows.column(at)))
      .recover(DatabaseFailures::duplicateKeyAsConflict)
      .map(done -> new Mission(id, name, destination, phase, expectedReportSeconds, 1, at, at));
  }

  public Future<Optional<Mission>> find(String id) {
    return pool.preparedQuery(SqlQueries.SELECT_MISSION).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.mission(rows.iterator().next())));
  }

  /** Ids already taken among {@code base} and {@code base-*}: to pick a free slug. */
  public Future<Set<String>> idsLike(String base) {
    return pool.preparedQuery(SqlQueries.SELECT_MISSION_IDS_LIKE).execute(Tuple.of(base, base + "-%"))
      .map(rows -> {
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.getString("id")));
        return ids;
      });
  }

  public Future<List<Listed>> list(long afterSeq, int limit) {
    return pool.preparedQuery(SqlQueries.LIST_MISSIONS).execute(Tuple.of(afterSeq, limit))
      .map(rows -> {
        List<Listed> page = new ArrayList<>(rows.size());
        for (Row row : rows) {
          page.add(new Listed(row.getLong("seq"), Rows.mission(row)));
        }
        return page;
      });
  }

  /**
   * Writes {@code changed} if the stored mission is still at {@code changed.version() - 1};
   * answers whether it was (false: someone else changed it first).
   */
  public Future<Boolean> replace(Mission changed) {
    Tuple args = Tuple.of(changed.name(), changed.destination(), changed.phase().name(), changed.expectedReportSeconds(),
      Rows.column(changed.updatedAt()), changed.id(), changed.version() - 1);
    return pool.preparedQuery(SqlQueries.UPDATE_MISSION).execute(args).map(RowSet::rowCount).map(count -> count == 1);
  }
}
