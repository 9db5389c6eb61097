package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import space.mission.backup.format.RowReader;
import space.mission.backup.format.TableEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads one table from its (already checked) object: lines are read and decompressed on a worker
 * thread a batch ahead of the multi-row INSERTs that write them, committed every
 * {@value #COMMIT_EVERY_ROWS} rows. The lines' count and SHA-256 must match the manifest. Used where
 * {@link BulkTableLoader} cannot be: a server that refuses LOAD DATA LOCAL, or column types whose
 * text form it would not read back.
 */
final class TableLoader {

  static final int COMMIT_EVERY_ROWS = 50_000;
  /** MySQL's limit on placeholders in one statement. */
  private static final int MAX_PLACEHOLDERS = 65_535;

  private final Vertx vertx;
  private final SqlConnection target;
  private final TableEntry table;
  private final Path file;
  private final int rowsPerStatement;
  private final RowReader decoder;
  private TableLines reader;
  private long lines;
  private long uncommitted;

  TableLoader(Vertx vertx, SqlConnection target, TableEntry table, Path file, int batchRows) {
    this.vertx = vertx;
    this.target = target;
    this.table = table;
    this.file = file;
    this.rowsPerStatement = Math.max(1, Math.min(batchRows, MAX_PLACEHOLDERS / Math.max(1, table.columns().size())));
    this.decoder = new RowReader(table.columns());
  }

  Future<Void> load() {
    return vertx.executeBlocking(() -> {
        reader = new TableLines(table, file);
        return null;
      })
      .compose(v -> target.query("START TRANSACTION").execute())
      .compose(v -> insertFrom(readBatch()))
      .compose(v -> target.query("COMMIT").execute())
      .eventually(() -> vertx.executeBlocking(() -> {
        if (reader != null) {
          reader.close();
        }
        return null;
      }))
      .compose(v -> vertx.executeBlocking(() -> {
        reader.check();
        return null;
      }));
  }

  /** Inserts {@code pending} once read, while the batch after it is read. */
  private Future<Void> insertFrom(Future<List<String>> pending) {
    return pending.compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<List<String>> following = readBatch();
      return insert(batch).compose(v -> insertFrom(following));
    });
  }

  private Future<List<String>> readBatch() {
    return vertx.executeBlocking(() -> {
      List<String> batch = new ArrayList<>(rowsPerStatement);
      for (String line; batch.size() < rowsPerStatement && (line = reader.next()) != null; ) {
        batch.add(line);
      }
      return batch;
    });
  }

  private Future<Void> insert(List<String> batch) {
    Tuple values = Tuple.tuple();
    for (String line : batch) {
      try {
        decoder.read(line, ++lines, values);
      } catch (RuntimeException e) {
        return Future.failedFuture(new RestoreException("table " + table.name() + ": " + e.getMessage()));
      }
    }
    Future<Void> inserted = target.preparedQuery(insertSql(batch.size())).execute(values).mapEmpty();
    uncommitted += batch.size();
    if (uncommitted < COMMIT_EVERY_ROWS) {
      return inserted;
    }
    uncommitted = 0;
    return inserted.compose(v -> target.query("COMMIT").execute()).compose(v -> target.query("START TRANSACTION").execute()).mapEmpty();
  }

  private String insertSql(int rows) {
    String columns = table.columns().stream().map(column -> Restorer.quote(column.name())).collect(Collectors.joining(", "));
    String row = "(" + String.join(", ", Collections.nCopies(table.columns().size(), "?")) + ")";
    return "INSERT INTO " + Restorer.quote(table.name()) + " (" + columns + ") VALUES " + String.join(", ", Collections.nCopies(rows, row));
  }
}
