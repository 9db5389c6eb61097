package space.mission.runtime.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
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
  /** The key of a role's configuration that carries its {@link Fence}. */
  public static final String FENCE_CONFIG = "leaseFence";

  private static final String CREATE_TABLE = """
    CREATE TABLE IF NOT EXISTS mission_lease (
      name       VARCHAR(64)  NOT NULL PRIMARY KEY,
      holder     VARCHAR(191) NOT NULL,
      expires_at DATETIME(3)  NOT NULL,
      generation BIGINT       NOT NULL DEFAULT 0
    ) ENGINE=InnoDB""";
  /** Tables made before fencing lack the column; MySQL has no ADD COLUMN IF NOT EXISTS. */
  private static final String HAS_GENERATION = """
    SELECT COUNT(*) FROM information_schema.columns
     WHERE table_schema = DATABASE() AND table_name = 'mission_lease' AND column_name = 'generation'""";
  private static final String ADD_GENERATION = "ALTER TABLE mission_lease ADD COLUMN generation BIGINT NOT NULL DEFAULT 0";
  // born expired: at NOW(3) itself, a take in the same millisecond would see it unexpired (not < NOW(3)) and fail
  private static final String ENSURE_ROW = "INSERT IGNORE INTO mission_lease (name, holder, expires_at) VALUES (?, '', NOW(3) - INTERVAL 1 SECOND)";
  /**
   * Renews the lease for its holder, or takes it once it has expired: one row changes exactly when
   * we hold it. Any gap in holding increments the generation (the fencing token): a takeover by
   * another holder, and also the same holder taking its lease back after it lapsed, since its
   * effects were refused in the gap and whatever ran on the old token has stopped. The assignments
   * run left to right, so the generation is decided on the holder and expiry before they change.
   */
  private static final String HOLD = """
    UPDATE mission_lease SET generation = IF(holder = ? AND expires_at >= NOW(3), generation, generation + 1), holder = ?,
           expires_at = NOW(3) + INTERVAL ? MICROSECOND
     WHERE name = ? AND (holder = ? OR expires_at < NOW(3))""";
  private static final String GENERATION = "SELECT generation FROM mission_lease WHERE name = ? AND holder = ?";
  /**
   * Run first in a transaction that makes an effect: it finds the row only while the lease is still
   * ours, in this generation and unexpired, and locks it, so a takeover waits for the effect's commit
   * and an effect after a takeover finds nothing.
   */
  private static final String FENCE = """
    SELECT generation FROM mission_lease
     WHERE name = ? AND holder = ? AND generation = ? AND expires_at > NOW(3) FOR UPDATE""";
  private static final String HOLDER = "SELECT holder, expires_at FROM mission_lease WHERE name = ?";
  private static final String RELEASE = "UPDATE mission_lease SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE name = ? AND holder = ?";

  private final Pool pool;
  private final String name;
  private final String holder;
  private final Duration ttl;
  private boolean prepared;
  private volatile long generation = -1;

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
      .execute(Tuple.of(holder, holder, ttl.toNanos() / 1_000, name, holder))
      .compose(result -> result.rowCount() != 1 ? Future.succeededFuture(false)
        : pool.preparedQuery(GENERATION).execute(Tuple.of(name, holder)).map(rows -> {
          if (rows.size() == 0) {
            return false;
          }
          generation = rows.iterator().next().getLong(0);
          return true;
        })));
  }

  /** The generation this holder last held the lease in (-1 before it ever did). */
  public long generation() {
    return generation;
  }

  /** The fencing token of the lease as held now, for effects made elsewhere (another pool, another verticle). */
  public Fence fence() {
    return new Fence(name, holder, generation, ttl.toMillis());
  }

  /**
   * A holder's claim to a lease in one generation. {@link #check} runs inside the transaction of an
   * effect and fails it with {@link LeaseLostException} unless the claim still stands.
   */
  public record Fence(String name, String holder, long generation, long ttlMillis) {

    public Future<Void> check(SqlConnection connection) {
      return connection.preparedQuery(FENCE).execute(Tuple.of(name, holder, generation))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
          : Future.failedFuture(new LeaseLostException(name, holder, generation)));
    }

    /**
     * How long a transaction may hold the lease row: renewals wait for it, so one that held it for
     * the whole TTL would let the lease lapse under its holder.
     */
    public long maxHoldMillis() {
      return Math.max(200, ttlMillis / 3);
    }

    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("holder", holder).put("generation", generation).put("ttlMillis", ttlMillis);
    }

    /** The fence in {@code json}, or null when there is none (a role deployed without a lease, as in tests). */
    public static Fence fromJson(JsonObject json) {
      return json == null ? null
        : new Fence(json.getString("name"), json.getString("holder"), json.getLong("generation"), json.getLong("ttlMillis"));
    }
  }

  /** An effect refused because its maker no longer holds the lease it was made under. */
  public static final class LeaseLostException extends IllegalStateException {
    public LeaseLostException(String name, String holder, long generation) {
      super("lease " + name + " is no longer held by " + holder + " in generation " + generation);
    }
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
      .compose(ignored -> pool.query(HAS_GENERATION).execute())
      .compose(rows -> rows.iterator().next().getLong(0) > 0 ? Future.succeededFuture() : pool.query(ADD_GENERATION).execute())
      .compose(ignored -> pool.preparedQuery(ENSURE_ROW).execute(Tuple.of(name)))
      .onSuccess(ignored -> prepared = true)
      .mapEmpty();
  }
}
