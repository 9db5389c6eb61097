package space.mission.backup.snapshot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.Manifest;
import space.mission.backup.format.RowWriter;
import space.mission.backup.format.TableEntry;
import space.mission.backup.store.BackupStore;
import space.mission.backup.store.ObjectUpload;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes one backup: opens a consistent snapshot ({@code START TRANSACTION WITH CONSISTENT SNAPSHOT}
 * at REPEATABLE READ) on one connection, streams every table through gzip into the store, then
 * writes the manifest, last. Encoding and compression run on worker threads; while a part uploads
 * the next page is read and compressed. A failure aborts the upload in progress and deletes the
 * objects already written: a failed backup leaves nothing behind, above all no manifest.
 */
public final class SnapshotWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

  private final Vertx vertx;
  private final BackupStore store;
  private final Set<String> excludedTables;
  private final int pageRows;
  private final int partBytes;
  private final int compressionLevel;
  private final Clock clock;

  public SnapshotWriter(Vertx vertx, BackupStore store, Set<String> excludedTables, int pageRows, int partBytes, int compressionLevel,
                        Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.excludedTables = excludedTables;
    this.pageRows = pageRows;
    this.partBytes = partBytes;
    this.compressionLevel = compressionLevel;
    this.clock = clock;
  }

  public Future<Manifest> write(Pool pool, String backupId) {
    Instant startedAt = clock.instant();
    List<String> written = new ArrayList<>();
    return pool.getConnection().compose(connection -> snapshot(connection, backupId, startedAt, written)
        .eventually(() -> connection.query("ROLLBACK").execute().eventually(connection::close)))
      .compose(manifest -> store.put(Manifest.key(backupId), manifest.toBuffer()).map(manifest))
      .recover(failure -> {
        if (written.isEmpty()) {
          return Future.failedFuture(failure);
        }
        return store.delete(written)
          .onFailure(cleanup -> LOG.warn("Backup {} failed and its objects could not all be deleted ({}); "
            + "they have no manifest, so they are not a backup, and the next retention pass will not see them", backupId, cleanup.getMessage()))
          .transform(ignored -> Future.failedFuture(failure));
      });
  }

  private Future<Manifest> snapshot(SqlConnection connection, String backupId, Instant startedAt, List<String> written) {
    return connection.query("SET SESSION time_zone = '+00:00'").execute()
      .compose(v -> connection.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute())
      .compose(v -> connection.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY").execute())
      .compose(v -> SchemaReader.server(connection))
      .compose(server -> SchemaReader.tables(connection, excludedTables).compose(tables ->
        SchemaReader.schemaVersions(connection, tables).compose(versions -> {
          Future<List<TableEntry>> entries = Future.succeededFuture(new ArrayList<>());
          for (TableSchema table : tables) {
            entries = entries.compose(done -> dump(connection, backupId, table, written).map(entry -> {
              done.add(entry);
              return done;
            }));
          }
          return entries.map(done -> new Manifest(Manifest.FORMAT, backupId, server.getString(1), server.getString(0), startedAt,
            clock.instant(), Map.copyOf(versions), List.copyOf(done)));
        })));
  }

  private Future<TableEntry> dump(SqlConnection connection, String backupId, TableSchema table, List<String> written) {
    String key = Manifest.tableKey(backupId, table.name());
    CompressedObject object = new CompressedObject(compressionLevel, partBytes);
    RowWriter rows = new RowWriter(object.content(), table.columns());
    ObjectUpload upload = store.upload(key);
    PartQueue parts = new PartQueue(upload);
    return TableReader.read(connection, table, pageRows, page -> vertx.<List<byte[]>>executeBlocking(() -> {
          for (Row row : page) {
            rows.write(row);
          }
          rows.flush();
          return object.takeFullParts();
        }).compose(parts::submit))
      .compose(v -> vertx.executeBlocking(() -> {
        rows.flush();
        return object.finish();
      }))
      .compose(last -> {
        parts.submit(last);
        return parts.drain();
      })
      .compose(v -> upload.complete())
      .map(v -> {
        written.add(key);
        return new TableEntry(table.name(), table.createStatement(), table.columns(), table.primaryKey(), key, rows.rows(),
          object.bytes(), object.sha256(), object.contentSha256());
      })
      .recover(failure -> upload.abort().transform(ignored -> Future.failedFuture(failure)));
  }

  /** Uploads parts one after the other; a page may be encoded while the previous page's parts upload. */
  private static final class PartQueue {

    private final ObjectUpload upload;
    private Future<Void> tail = Future.succeededFuture();

    PartQueue(ObjectUpload upload) {
      this.upload = upload;
    }

    /** Queues the parts; completes when what was queued before them is uploaded. */
    Future<Void> submit(List<byte[]> parts) {
      Future<Void> before = tail;
      for (byte[] part : parts) {
        tail = tail.compose(v -> upload.write(part));
      }
      return before;
    }

    Future<Void> drain() {
      return tail;
    }
  }
}
