package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.Manifest;
import space.mission.backup.format.RowWriter;
import space.mission.backup.format.TableEntry;
import space.mission.backup.snapshot.TableReader;
import space.mission.backup.snapshot.TableSchema;
import space.mission.runtime.db.DatabaseUrl;

import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Proves a backup restores: restores it (from the store, checksums and all) into a scratch schema,
 * then reads every restored table back the way the backup read the source and compares its row
 * count and content hash with the manifest, which recorded them from the snapshot. The scratch
 * schema is dropped afterwards whatever happened.
 */
public final class Verifier {

  /** The outcome, kept in the catalog. */
  public record Result(boolean ok, String problem, List<TableCheck> tables, Duration took) {

    public JsonObject toJson() {
      JsonArray checks = new JsonArray();
      tables.forEach(table -> checks.add(new JsonObject().put("name", table.name()).put("rows", table.rows()).put("matches", table.matches())));
      return new JsonObject().put("ok", ok).put("problem", problem).put("tables", checks).put("tookMillis", took.toMillis());
    }
  }

  public record TableCheck(String name, long rows, boolean matches) {
  }

  private final Vertx vertx;
  private final Restorer restorer;
  private final DatabaseUrl source;
  private final String scratchSchema;
  private final int pageRows;
  private final Clock clock;

  public Verifier(Vertx vertx, Restorer restorer, DatabaseUrl source, String scratchSchema, int pageRows, Clock clock) {
    this.vertx = vertx;
    this.restorer = restorer;
    this.source = source;
    this.scratchSchema = scratchSchema;
    this.pageRows = pageRows;
    this.clock = clock;
  }

  /** Never fails: a backup that cannot be verified gets a result saying why. */
  public Future<Result> verify(Manifest manifest, Path scratchDir) {
    Instant started = clock.instant();
    String scratch = Restorer.quote(scratchSchema);
    return MySQLConnection.connect(vertx, source.connectOptions()).compose(admin ->
        admin.query("DROP DATABASE IF EXISTS " + scratch).execute()
          .compose(v -> admin.query("CREATE DATABASE " + scratch + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").execute())
          .compose(v -> MySQLConnection.connect(vertx, source.withDatabase(scratchSchema).connectOptions()))
          .compose(target -> restorer.restore(manifest.backupId(), Manifest.checksum(manifest.toBuffer()), target, scratchDir, false)
            .compose(restored -> compare(target, manifest))
            .eventually(target::close))
          .eventually(() -> admin.query("DROP DATABASE IF EXISTS " + scratch).execute().eventually(admin::close)))
      .map(checks -> {
        boolean ok = checks.stream().allMatch(TableCheck::matches);
        String problem = ok ? null : "restored tables differ from the snapshot: " + checks.stream().filter(check -> !check.matches())
          .map(TableCheck::name).toList();
        return new Result(ok, problem, checks, Duration.between(started, clock.instant()));
      })
      .otherwise(failure -> new Result(false, String.valueOf(failure.getMessage()), List.of(), Duration.between(started, clock.instant())));
  }

  private Future<List<TableCheck>> compare(SqlConnection restored, Manifest manifest) {
    List<TableCheck> checks = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (TableEntry table : manifest.tables()) {
      chain = chain.compose(v -> hash(restored, table).map(hash -> {
        checks.add(new TableCheck(table.name(), hash.rows(), hash.rows() == table.rows() && hash.sha256().equals(table.contentSha256())));
        return null;
      }));
    }
    return chain.map(checks);
  }

  private record Hash(long rows, String sha256) {
  }

  /** Hashes a table the way the backup hashed the snapshot's: the same reader, the same line form. */
  private Future<Hash> hash(SqlConnection connection, TableEntry table) {
    MessageDigest digest = CompressedObject.newSha256();
    RowWriter rows = new RowWriter(new DigestOutputStream(OutputStream.nullOutputStream(), digest), table.columns());
    TableSchema schema = new TableSchema(table.name(), table.createStatement(), table.columns(), table.primaryKey());
    return TableReader.read(connection, schema, pageRows, page -> vertx.executeBlocking(() -> {
        for (Row row : page) {
          rows.write(row);
        }
        rows.flush();
        return null;
      }))
      .map(v -> new Hash(rows.rows(), HexFormat.of().formatHex(digest.digest())));
  }
}
