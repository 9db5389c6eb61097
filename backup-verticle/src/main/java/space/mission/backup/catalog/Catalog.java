package space.mission.backup.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import space.mission.backup.format.Manifest;
import space.mission.runtime.cluster.SingletonLease;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code backup_catalog} table: every statement the backup role runs on it. */
public final class Catalog {

  /** Tables that are never part of a backup: the catalog describes backups, the lease says who takes them. */
  public static final List<String> OWN_TABLES = List.of("backup_catalog", "flyway_history_backup", SingletonLease.TABLE);

  static final String COLUMNS = "id, state, trigger_kind, requested_by, reason, started_at, finished_at, tables_count, rows_count, bytes, "
    + "manifest_sha256, location, verified, verified_at, verification, error";
  static final String STARTED = "INSERT INTO backup_catalog (id, state, trigger_kind, requested_by, reason, started_at, location) "
    + "VALUES (?, 'RUNNING', ?, ?, ?, ?, ?)";
  static final String SUCCEEDED = "UPDATE backup_catalog SET state = 'SUCCEEDED', finished_at = ?, tables_count = ?, rows_count = ?, "
    + "bytes = ?, manifest_sha256 = ? WHERE id = ?";
  static final String VERIFIED = "UPDATE backup_catalog SET verified = ?, verified_at = ?, verification = ? WHERE id = ?";
  static final String FAILED = "UPDATE backup_catalog SET state = 'FAILED', finished_at = ?, error = ? WHERE id = ?";
  static final String INTERRUPTED = "UPDATE backup_catalog SET state = 'FAILED', finished_at = ?, "
    + "error = 'interrupted: the backup role stopped while it ran' WHERE state = 'RUNNING'";
  static final String FOUND = "INSERT IGNORE INTO backup_catalog (id, state, trigger_kind, started_at, finished_at, tables_count, rows_count, "
    + "bytes, manifest_sha256, location) VALUES (?, 'SUCCEEDED', 'found', ?, ?, ?, ?, ?, ?, ?)";
  static final String ALL = "SELECT " + COLUMNS + " FROM backup_catalog ORDER BY started_at DESC, id DESC";
  static final String ONE = "SELECT " + COLUMNS + " FROM backup_catalog WHERE id = ?";
  static final String CHECKSUM = "SELECT manifest_sha256 FROM backup_catalog WHERE id = ? AND state = 'SUCCEEDED'";
  static final String REMOVE = "DELETE FROM backup_catalog WHERE id = ?";

  private final Pool pool;
  private final SingletonLease.Fence fence;

  public Catalog(Pool pool) {
    this(pool, null);
  }

  /** With {@code fence}, a backup starts only while the role's lease is held in that generation (checked in the same transaction). */
  public Catalog(Pool pool, SingletonLease.Fence fence) {
    this.pool = pool;
    this.fence = fence;
  }

  /** Records a run as started; fails with {@link SingletonLease.LeaseLostException} when the role lost its lease, and then nothing runs. */
  public Future<Void> started(String id, String trigger, String requestedBy, String reason, Instant at, String location) {
    return pool.withTransaction(connection -> (fence == null ? Future.<Void>succeededFuture() : fence.check(connection))
      .compose(held -> connection.preparedQuery(STARTED).execute(Tuple.of(id, trigger, requestedBy, reason, utc(at), location)))).mapEmpty();
  }

  public Future<Void> succeeded(String id, Manifest manifest, String manifestSha256) {
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(utc(manifest.finishedAt()), manifest.tables().size(), manifest.rows(),
      manifest.bytes(), manifestSha256, id)).mapEmpty();
  }

  public Future<Void> verified(String id, boolean ok, JsonObject detail, Instant at) {
    return pool.preparedQuery(VERIFIED).execute(Tuple.of(ok, utc(at), detail, id)).mapEmpty();
  }

  public Future<Void> failed(String id, String error, Instant at) {
    String text = error == null ? "unknown error" : error.length() > 2000 ? error.substring(0, 1997) + "..." : error;
    return pool.preparedQuery(FAILED).execute(Tuple.of(utc(at), text, id)).mapEmpty();
  }

  /** Runs left RUNNING by a process that stopped: they failed. */
  public Future<Integer> interrupted(Instant at) {
    return pool.preparedQuery(INTERRUPTED).execute(Tuple.of(utc(at))).map(result -> result.rowCount());
  }

  /** A backup found in the store that the catalog does not know (verification unknown). */
  public Future<Boolean> found(Manifest manifest, String manifestSha256, String location) {
    return pool.preparedQuery(FOUND).execute(Tuple.of(manifest.backupId(), utc(manifest.startedAt()), utc(manifest.finishedAt()),
      manifest.tables().size(), manifest.rows(), manifest.bytes(), manifestSha256, location)).map(result -> result.rowCount() > 0);
  }

  /** Every run, newest first. */
  public Future<List<CatalogEntry>> all() {
    return pool.query(ALL).execute().map(rows -> {
      List<CatalogEntry> entries = new ArrayList<>();
      rows.forEach(row -> entries.add(entry(row)));
      return entries;
    });
  }

  public Future<Optional<CatalogEntry>> get(String id) {
    return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next())));
  }

  /**
   * The manifest's SHA-256 as recorded when the backup was taken (or, for a backup found in the
   * store, when it was found); empty when the catalog has no finished run of that id. Static: the
   * restore command reads it over its own connection, without the role's pool.
   */
  public static Future<Optional<String>> manifestChecksum(SqlClient client, String id) {
    return client.preparedQuery(CHECKSUM).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getString(0)));
  }

  public Future<Void> remove(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(REMOVE).executeBatch(ids.stream().map(Tuple::of).toList()).mapEmpty();
  }

  private static CatalogEntry entry(Row row) {
    Object verification = row.getValue("verification");
    return new CatalogEntry(
      row.getString("id"),
      CatalogEntry.State.valueOf(row.getString("state")),
      row.getString("trigger_kind"),
      row.getString("requested_by"),
      row.getString("reason"),
      instant(row.getLocalDateTime("started_at")),
      instant(row.getLocalDateTime("finished_at")),
      row.getInteger("tables_count"),
      row.getLong("rows_count"),
      row.getLong("bytes"),
      row.getString("manifest_sha256"),
      row.getString("location"),
      flag(row.getValue("verified")),
      instant(row.getLocalDateTime("verified_at")),
      verification == null ? null : verification instanceof JsonObject json ? json : new JsonObject(String.valueOf(verification)),
      row.getString("error"));
  }

  /** A BOOLEAN column: TINYINT(1) on the wire, so a number or a boolean depending on the server. */
  private static Boolean flag(Object value) {
    return value == null ? null : value instanceof Boolean bool ? bool : ((Number) value).intValue() != 0;
  }

  static LocalDateTime utc(Instant instant) {
    return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(LocalDateTime time) {
    return time == null ? null : time.toInstant(ZoneOffset.UTC);
  }
}
