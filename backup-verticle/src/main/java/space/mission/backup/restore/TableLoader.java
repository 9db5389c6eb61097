package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.RowReader;
import space.mission.backup.format.TableEntry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

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
  private final MessageDigest digest = CompressedObject.newSha256();
  private BufferedReader reader;
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
        reader = new BufferedReader(new InputStreamReader(new DigestInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16), digest),
          StandardCharsets.UTF_8), 1 << 16);
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
      .compose(v -> check(table, lines, digest));
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
      for (String line; batch.size() < rowsPerStatement && (line = reader.readLine()) != null; ) {
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

  /** The lines read must be as many as the manifest says, and hash to its content SHA-256. */
  static Future<Void> check(TableEntry table, long lines, MessageDigest digest) {
    String content = HexFormat.of().formatHex(digest.digest());
    if (lines != table.rows()) {
      return Future.failedFuture(new RestoreException("table " + table.name() + ": the object holds " + lines + " rows, the manifest says "
        + table.rows()));
    }
    if (!content.equals(table.contentSha256())) {
      return Future.failedFuture(new RestoreException("table " + table.name() + ": the rows' SHA-256 is " + content + ", the manifest says "
        + table.contentSha256()));
    }
    return Future.succeededFuture();
  }
}
