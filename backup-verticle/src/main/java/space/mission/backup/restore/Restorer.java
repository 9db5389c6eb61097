package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.stream.Collectors;

/**
 * Brings a backup back into a database. First every object is fetched and checked against the
 * manifest's size and SHA-256: nothing is written unless all of them match. Then the target must
 * be empty (or, forced, loses the backup's tables), the tables are created as they were and loaded
 * with LOAD DATA LOCAL INFILE where the server allows it ({@link BulkTableLoader}), else with
 * multi-row INSERTs ({@link TableLoader}), foreign-key checks off, each table's rows checked
 * against the manifest's count and content hash as they go in.
 */
public final class Restorer {

  private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);

  private final Vertx vertx;
  private final BackupStore store;
  private final int batchRows;

  public Restorer(Vertx vertx, BackupStore store, int batchRows) {
    this.vertx = vertx;
    this.store = store;
    this.batchRows = batchRows;
  }

  /** The backup's manifest; fails naming the place looked in when there is none. */
  public Future<Manifest> manifest(String backupId) {
    return store.get(Manifest.key(backupId))
      .recover(failure -> Future.failedFuture(failure instanceof NoSuchObjectException
        ? new RestoreException("no backup " + backupId + ": " + store.describe(Manifest.key(backupId)) + " does not exist") : failure))
      .map(content -> {
        try {
          return Manifest.fromJson(new JsonObject(content));
        } catch (RuntimeException e) {
          throw new RestoreException("the manifest of backup " + backupId + " cannot be read: " + e.getMessage());
        }
      });
  }

  /** Restores {@code backupId} into the database {@code target} is connected to; {@code scratchDir} holds downloads. */
  public Future<Manifest> restore(String backupId, SqlConnection target, Path scratchDir, boolean force) {
    return manifest(backupId).compose(manifest -> checkObjects(manifest, scratchDir)
      .compose(files -> prepare(target, manifest, force)
        .compose(v -> target.query("SELECT @@local_infile, @@max_allowed_packet").execute())
        .compose(settings -> {
          Row server = settings.iterator().next();
          return load(target, manifest, files, scratchDir, enabled(server.getValue(0)), server.getLong(1));
        })
        .map(manifest)));
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
              + sha256 + ", expected " + table.bytes() + " bytes with SHA-256 " + table.sha256() + "; nothing was restored");
          }
          files.put(table, file);
          return null;
        })));
    }
    return chain.map(files);
  }

  private Future<Void> prepare(SqlConnection target, Manifest manifest, boolean force) {
    Set<String> restored = manifest.tables().stream().map(TableEntry::name).collect(Collectors.toSet());
    return target.query("SET SESSION time_zone = '+00:00'").execute()
      .compose(v -> target.query("SET SESSION FOREIGN_KEY_CHECKS = 0").execute())
      .compose(v -> target.query("SET SESSION UNIQUE_CHECKS = 0").execute())
      // an id of 0 is data, not a request for the next auto-increment value
      .compose(v -> target.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')").execute())
      .compose(v -> target.query("SELECT DATABASE()").execute())
      .compose(current -> target.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
        .execute().map(rows -> {
          List<String> names = new ArrayList<>();
          rows.forEach(row -> names.add(row.getString(0)));
          return Map.entry(current.iterator().next().getString(0), names);
        }))
      .compose(found -> {
        String database = found.getKey();
        List<String> existing = found.getValue();
        if (!existing.isEmpty() && !force) {
          throw new RestoreException("the target database " + database + " is not empty (" + existing.size() + " tables: "
            + String.join(", ", existing.subList(0, Math.min(5, existing.size()))) + (existing.size() > 5 ? ", ..." : "")
            + "); restore into an empty database, or force it to replace the backup's tables");
        }
        Future<Void> chain = Future.succeededFuture();
        for (String table : existing) {
          if (restored.contains(table)) {
            chain = chain.compose(v -> target.query("DROP TABLE " + quote(table)).execute().mapEmpty());
          }
        }
        for (TableEntry table : manifest.tables()) {
          chain = chain.compose(v -> target.query(table.createStatement()).execute().mapEmpty());
        }
        return chain;
      });
  }

  private Future<Void> load(SqlConnection target, Manifest manifest, Map<TableEntry, Path> files, Path scratchDir, boolean localInfile,
                            long maxAllowedPacket) {
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
    return chain.compose(v -> target.query("SET SESSION FOREIGN_KEY_CHECKS = 1").execute())
      .onSuccess(v -> LOG.info("Backup {} restored: {} tables, {} rows", manifest.backupId(), manifest.tables().size(), manifest.rows()))
      .mapEmpty();
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
