package space.mission.common.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;

/**
 * A named lease in the mission database that at most one holder has at a time: how the alert and
 * backup roles stay singletons however many instances run. The database, not the Hazelcast cluster,
 * is the judge, because it is already the one place every instance must reach to do the work (the
 * outbox, the catalog): a member cut off from the others but not from the database cannot go on
 * unnoticed, and Hazelcast's CP subsystem (needed for safe cluster locks) is not required. All
 * times are the database's clock, so members' clocks may disagree.
 */
public final class SingletonLease {

  /** Operational state, not mission data: backups leave it out. */
  public static final String TABLE = "mission_lease";

  private static final String CREATE_TABLE = """
    CREATE TABLE IF NOT EXISTS mission_lease (
      name       VARCHAR(64)  NOT NULL PRIMARY KEY,
      holder     VARCHAR(191) NOT NULL,
      expires_at DATETIME(3)  NOT NULL
    ) ENGINE=InnoDB""";
  private static final String ENSURE_ROW = "INSERT IGNORE INTO mission_lease (name, holder, expires_at) VALUES (?, '', NOW(3))";
  /** Renews the lease for its holder, or takes it once it has expired: one row changes exactly when we hold it. */
  private static final String HOLD = """
    UPDATE mission_lease SET holder = ?, expires_at = NOW(3) + INTERVAL ? MICROSECOND
     WHERE name = ? AND (holder = ? OR expires_at < NOW(3))""";
  private static final String HOLDER = "SELECT holder, expires_at FROM mission_lease WHERE name = ?";
  private static final String RELEASE = "UPDATE mission_lease SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE name = ? AND holder = ?";

  private final Pool pool;
  private final String name;
  private final String holder;
  private final Duration ttl;
  private boolean prepared;

  public SingletonLease(Pool pool, String name, String holder, Duration ttl) {
    this.pool = pool;
    this.name = name;
    this.holder = holder;
    this.ttl = ttl;
  }

  public String holder() {
    return holder;
  }

  /** Renews or takes the lease: true when this holder has it for another {@code ttl}. */
  public Future<Boolean> hold() {
    return prepare().compose(ignored -> pool.preparedQuery(HOLD)
      .execute(Tuple.of(holder, ttl.toNanos() / 1_000, name, holder))
      .map(result -> result.rowCount() == 1));
  }

  /** Who holds the lease now, for log lines; empty when nobody does. */
  public Future<String> currentHolder() {
    return pool.preparedQuery(HOLDER).execute(Tuple.of(name)).map(rows -> {
      if (rows.size() == 0) {
        return "";
      }
      var row = rows.iterator().next();
      return row.getString("holder") + " until " + row.getLocalDateTime("expires_at") + " (database time)";
    });
  }

  /** Gives the lease up at once, so a standby need not wait for it to expire. */
  public Future<Void> release() {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(name, holder)).mapEmpty();
  }

  private Future<Void> prepare() {
    if (prepared) {
      return Future.succeededFuture();
    }
    return pool.query(CREATE_TABLE).execute()
      .compose(ignored -> pool.preparedQuery(ENSURE_ROW).execute(Tuple.of(name)))
      .onSuccess(ignored -> prepared = true)
      .mapEmpty();
  }
}
