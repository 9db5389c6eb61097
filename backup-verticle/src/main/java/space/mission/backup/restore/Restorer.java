package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.Manifest;
import space.mission.backup.format.TableEntry;
import space.mission.backup.store.BackupStore;
import space.mission.backup.store.NoSuchObjectException;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a backup back into a database, all or nothing. Before the first row: the manifest must
 * hash to the SHA-256 the catalog recorded when the backup was taken (an edited manifest is
 * refused like an edited object), every object is fetched and checked against the manifest's size
 * and SHA-256, and the target must be empty (or, forced, loses the backup's tables). Then the
 * tables are created in a staging schema ({@link Staging}) and loaded with LOAD DATA LOCAL INFILE
 * where the server allows it ({@link BulkTableLoader}), else with multi-row INSERTs
 * ({@link TableLoader}), foreign-key checks off, each table's lines checked against the manifest's
 * count and content hash and its row count read back. Only when every table matches are they
 * swapped into the target with one RENAME TABLE; on any failure the staging schema is dropped and
 * the target is exactly as it was.
 */
public final class Restorer {

  private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
  /** Ends the message of every restore that failed before its swap. */
  public static final String UNCHANGED = "nothing was restored, the target was left unchanged";

  private final Vertx vertx;
  private final BackupStore store;
  private final int batchRows;

  public Restorer(Vertx vertx, BackupStore store, int batchRows) {
    this.vertx = vertx;
    this.store = store;
    this.batchRows = batchRows;
  }

  /** The backup's manifest, unchecked (for listing); fails naming the place looked in when there is none. */
  public Future<Manifest> manifest(String backupId) {
    return manifestBytes(backupId).map(content -> parse(backupId, content));
  }

  private Future<Buffer> manifestBytes(String backupId) {
    return store.get(Manifest.key(backupId))
      .recover(failure -> Future.failedFuture(failure instanceof NoSuchObjectException
        ? new RestoreException("no backup " + backupId + ": " + store.describe(Manifest.key(backupId)) + " does not exist") : failure));
  }

  private static Manifest parse(String backupId, Buffer content) {
    try {
      return Manifest.fromJson(new JsonObject(content));
    } catch (RuntimeException e) {
      throw new RestoreException("the manifest of backup " + backupId + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Restores {@code backupId} into the database {@code target} is connected to; {@code scratchDir}
   * holds downloads. {@code manifestSha256} is what the catalog recorded for the manifest; null
   * only when the caller chose to restore without that check (the operator's explicit flag).
   */
  public Future<Manifest> restore(String backupId, String manifestSha256, SqlConnection target, Path scratchDir, boolean force) {
    return manifestBytes(backupId)
      .map(content -> checked(backupId, content, manifestSha256))
      .recover(failure -> Future.failedFuture(unchanged(failure)))
      .compose(manifest -> checkObjects(manifest, scratchDir)
        .compose(files -> session(target).compose(v -> existing(target)).compose(found -> {
          refuseIfPopulated(found.getKey(), found.getValue(), force);
          Staging staging = Staging.of(target, found.getKey());
          return staged(target, staging, manifest, files, scratchDir)
            .compose(v -> staging.swap(manifest.tables(), Set.copyOf(found.getValue())))
            .recover(failure -> staging.dropSchemas()
              .onFailure(e -> LOG.warn("The staging schema {} could not be dropped: {}", staging.name(), e.getMessage()))
              .transform(ignored -> Future.failedFuture(failure)))
            // the new tables are in place: the replaced ones and the empty staging schema only take space
            .compose(v -> staging.dropSchemas().recover(e -> {
              LOG.warn("Backup {} restored, but the schemas {} could not be dropped: {}", backupId, staging.name(), e.getMessage());
              return Future.succeededFuture();
            }));
        }))
        .recover(failure -> Future.failedFuture(unchanged(failure)))
        .compose(v -> target.query("SET SESSION FOREIGN_KEY_CHECKS = 1").execute())
        .onSuccess(v -> LOG.info("Backup {} restored: {} tables, {} rows", manifest.backupId(), manifest.tables().size(), manifest.rows()))
        .map(manifest));
  }

  private Manifest checked(String backupId, Buffer content, String expected) {
    String actual = Manifest.checksum(content);
    if (expected == null) {
      LOG.warn("Backup {}: the manifest is restored on its own word (SHA-256 {}), without the catalog's checksum", backupId, actual);
    } else if (!expected.equalsIgnoreCase(actual)) {
      throw new RestoreException("the manifest " + store.describe(Manifest.key(backupId)) + " has been changed since the backup was taken: "
        + "its SHA-256 is " + actual + ", the catalog recorded " + expected + "; " + UNCHANGED);
    }
    return parse(backupId, content);
  }

  /** Everything from the staging schema's creation to the last table's check; the target itself is not touched. */
  private Future<Void> staged(SqlConnection target, Staging staging, Manifest manifest, Map<TableEntry, Path> files, Path scratchDir) {
    Future<Void> chain = staging.create();
    for (TableEntry table : manifest.tables()) {
      chain = chain.compose(v -> target.query(table.createStatement()).execute().mapEmpty());
    }
    return chain.compose(v -> target.query("SELECT @@local_infile, @@max_allowed_packet").execute())
      .compose(settings -> {
        Row server = settings.iterator().next();
        return load(target, files, scratchDir, enabled(server.getValue(0)), server.getLong(1));
      })
      .compose(v -> countRows(staging, manifest));
  }

  /** Every staged table holds as many rows as the manifest says, counted by the server. */
  private static Future<Void> countRows(Staging staging, Manifest manifest) {
    Future<Void> chain = Future.succeededFuture();
    for (TableEntry table : manifest.tables()) {
      chain = chain.compose(v -> staging.count(table.name()).compose(count -> count == table.rows() ? Future.<Void>succeededFuture()
        : Future.failedFuture(new RestoreException("table " + table.name() + ": the database holds " + count + " rows, the manifest says "
          + table.rows()))));
    }
    return chain;
  }

  private static RestoreException unchanged(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    return new RestoreException(message + (message.contains(UNCHANGED) ? "" : "; " + UNCHANGED));
  }

  /** Fetches every object and checks its size and SHA-256 against the manifest, before anything is written. */
  private Future<Map<TableEntry, Path>> checkObjects(Manifest manifest, Path scratchDir) {
    Map<TableEntry, Path> files = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (TableEntry table : manifest.tables()) {
      chain = chain.compose(v -> store.fetch(table.key(), scratchDir)
        .recover(failure -> Future.failedFuture(failure instanceof NoSuchObjectException
          ? new RestoreException("backup " + manifest.backupId() + " is incomplete: " + store.describe(table.key()) + " does not exist") : failure))
        .compose(file -> vertx.executeBlocking(() -> {
          long size = Files.size(file);
          String sha256 = sha256(file);
          if (size != table.bytes() || !sha256.equals(table.sha256())) {
            throw new RestoreException("object " + store.describe(table.key()) + " does not match the manifest: " + size + " bytes with SHA-256 "
              + sha256 + ", expected " + table.bytes() + " bytes with SHA-256 " + table.sha256());
          }
          files.put(table, file);
          return null;
        })));
    }
    return chain.map(files);
  }

  private static Future<Void> session(SqlConnection target) {
    return target.query("SET SESSION time_zone = '+00:00'").execute()
      .compose(v -> target.query("SET SESSION FOREIGN_KEY_CHECKS = 0").execute())
      .compose(v -> target.query("SET SESSION UNIQUE_CHECKS = 0").execute())
      // an id of 0 is data, not a request for the next auto-increment value
      .compose(v -> target.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')").execute())
      .mapEmpty();
  }

  /** The target database's name and its tables. */
  private static Future<Map.Entry<String, List<String>>> existing(SqlConnection target) {
    return target.query("SELECT DATABASE()").execute()
      .compose(current -> target.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
        .execute().map(rows -> {
          List<String> names = new ArrayList<>();
          rows.forEach(row -> names.add(row.getString(0)));
          return Map.entry(current.iterator().next().getString(0), names);
        }));
  }

  private static void refuseIfPopulated(String database, List<String> existing, boolean force) {
    if (!existing.isEmpty() && !force) {
      throw new RestoreException("the target database " + database + " is not empty (" + existing.size() + " tables: "
        + String.join(", ", existing.subList(0, Math.min(5, existing.size()))) + (existing.size() > 5 ? ", ..." : "")
        + "); restore into an empty database, or force it to replace the backup's tables");
    }
  }

  private Future<Void> load(SqlConnection target, Map<TableEntry, Path> files, Path scratchDir, boolean localInfile, long maxAllowedPacket) {
    if (!localInfile) {
      LOG.info("The target server refuses LOAD DATA LOCAL INFILE (local_infile is off): restoring with INSERTs, which is slower");
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<TableEntry, Path> entry : files.entrySet()) {
      TableEntry table = entry.getKey();
      chain = chain.compose(v -> localInfile && BulkTableLoader.handles(table)
        ? new BulkTableLoader(vertx, target, table, entry.getValue(), scratchDir, maxAllowedPacket).load()
        : new TableLoader(vertx, target, table, entry.getValue(), batchRows).load());
    }
    return chain;
  }

  /** A server variable's ON: 1 over the binary protocol, "1" or "ON" as text. */
  private static boolean enabled(Object value) {
    String text = String.valueOf(value);
    return text.equals("1") || text.equalsIgnoreCase("ON");
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private static String sha256(Path file) throws java.io.IOException {
    MessageDigest digest = CompressedObject.newSha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
