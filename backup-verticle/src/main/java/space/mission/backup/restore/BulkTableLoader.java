package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.format.Column;
import space.mission.backup.format.CountingOutputStream;
import space.mission.backup.format.TableEntry;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Loads one table from its (already checked) object with {@code LOAD DATA LOCAL INFILE}, the
 * server's bulk path, about twice as fast as multi-row INSERTs. A worker turns the lines into LOAD
 * DATA's text format a chunk at a time ({@value #CHUNK_ROWS} rows, and no more bytes than the
 * server takes in one packet: a larger file lost the connection), into one of two files in the
 * scratch folder, while the previous chunk loads; the lines' count and SHA-256 must match the
 * manifest. LOCAL loads skip rows they cannot take (with a warning) instead of failing, so every
 * chunk must report exactly its row count and no warning.
 *
 * <p>The client sends the file the server asks for: only the restore's own target is ever sent
 * this statement.
 */
final class BulkTableLoader {

  static final int CHUNK_ROWS = 100_000;
  /** At most this much per file, and at most half of the server's max_allowed_packet. */
  static final long MAX_CHUNK_BYTES = 8 << 20;
  /** Types whose text form LOAD DATA does not read back the way an INSERT parameter is (TableLoader handles them). */
  private static final Set<String> NOT_AS_TEXT = Set.of("bit", "geometry", "point", "linestring", "polygon", "multipoint",
    "multilinestring", "multipolygon", "geometrycollection");

  private final Vertx vertx;
  private final SqlConnection target;
  private final TableEntry table;
  private final Path file;
  private final Path[] chunkFiles;
  private final LoadDataLine format;
  private final long chunkBytes;
  private TableLines reader;
  private long lines;
  private int chunks;

  BulkTableLoader(Vertx vertx, SqlConnection target, TableEntry table, Path file, Path scratchDir, long maxAllowedPacket) {
    this.chunkBytes = Math.min(MAX_CHUNK_BYTES, maxAllowedPacket / 2);
    this.vertx = vertx;
    this.target = target;
    this.table = table;
    this.file = file;
    this.chunkFiles = new Path[] {scratchDir.resolve(table.name() + ".0.load"), scratchDir.resolve(table.name() + ".1.load")};
    this.format = new LoadDataLine(table.columns().size());
  }

  /** Whether every column of {@code table} goes through LOAD DATA's text form unchanged. */
  static boolean handles(TableEntry table) {
    return table.columns().stream().map(Column::type).noneMatch(NOT_AS_TEXT::contains);
  }

  Future<Void> load() {
    return vertx.executeBlocking(() -> {
        // a local store's objects are read where they are: nothing has made the scratch folder yet
        Files.createDirectories(chunkFiles[0].getParent());
        reader = new TableLines(table, file);
        return null;
      })
      .compose(v -> loadFrom(writeChunk()))
      .eventually(() -> vertx.executeBlocking(() -> {
        if (reader != null) {
          reader.close();
        }
        for (Path chunk : chunkFiles) {
          Files.deleteIfExists(chunk);
        }
        return null;
      }))
      .compose(v -> vertx.executeBlocking(() -> {
        reader.check();
        return null;
      }));
  }

  private record Chunk(Path file, long rows) {
  }

  /** Loads {@code pending} once written, while the chunk after it is written. */
  private Future<Void> loadFrom(Future<Chunk> pending) {
    return pending.compose(chunk -> {
      if (chunk.rows() == 0) {
        return Future.succeededFuture();
      }
      Future<Chunk> following = writeChunk();
      return loadChunk(chunk).compose(v -> loadFrom(following));
    });
  }

  private Future<Chunk> writeChunk() {
    Path into = chunkFiles[chunks++ % 2];
    return vertx.executeBlocking(() -> {
      long rows = 0;
      CountingOutputStream file = new CountingOutputStream(Files.newOutputStream(into));
      try (Writer out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
        // the count lags the writer's buffer: the limit leaves room for it
        for (String line; rows < CHUNK_ROWS && file.count() < chunkBytes - (1 << 17) && (line = reader.next()) != null; rows++) {
          format.write(line, ++lines, out);
        }
      } catch (IllegalStateException e) {
        throw new RestoreException("table " + table.name() + ": " + e.getMessage());
      }
      return new Chunk(into, rows);
    });
  }

  private Future<Void> loadChunk(Chunk chunk) {
    return target.query(statement(chunk.file())).execute()
      .compose(loaded -> target.query("SHOW WARNINGS LIMIT 3").execute().compose(warnings -> {
        if (loaded.rowCount() == chunk.rows() && warnings.size() == 0) {
          return Future.succeededFuture();
        }
        List<String> said = new ArrayList<>();
        for (Row warning : warnings) {
          said.add(warning.getString(2));
        }
        return Future.failedFuture(new RestoreException("table " + table.name() + ": the database took " + loaded.rowCount() + " of "
          + chunk.rows() + " rows" + (said.isEmpty() ? "" : " and warned: " + String.join("; ", said))));
      }));
  }

  private String statement(Path chunk) {
    List<String> fields = new ArrayList<>();
    List<String> decoded = new ArrayList<>();
    for (int i = 0; i < table.columns().size(); i++) {
      Column column = table.columns().get(i);
      if (column.binary()) {
        fields.add("@base64_" + i);
        decoded.add(Restorer.quote(column.name()) + " = FROM_BASE64(@base64_" + i + ")");
      } else {
        fields.add(Restorer.quote(column.name()));
      }
    }
    String path = chunk.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
    return "LOAD DATA LOCAL INFILE '" + path + "' INTO TABLE " + Restorer.quote(table.name()) + " CHARACTER SET utf8mb4"
      + " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + String.join(", ", fields) + ")"
      + (decoded.isEmpty() ? "" : " SET " + String.join(", ", decoded));
  }
}
