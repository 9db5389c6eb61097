package space.mission.backup.snapshot;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import space.mission.backup.format.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads, on the snapshot's connection, which tables the database has and their shape, and which
 * schema version each role's Flyway history records.
 */
public final class SchemaReader {

  static final String TABLES = "SELECT TABLE_NAME FROM information_schema.TABLES "
    + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME";
  static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS "
    + "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";
  static final String PRIMARY_KEYS = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
    + "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX";
  static final String FLYWAY_PREFIX = "flyway_history_";
  static final String FLYWAY_VERSION = "SELECT version FROM %s WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1";

  private SchemaReader() {
  }

  /** Every base table but {@code excluded}, in name order. */
  public static Future<List<TableSchema>> tables(SqlConnection connection, Set<String> excluded) {
    Map<String, List<Column>> columns = new LinkedHashMap<>();
    Map<String, List<String>> keys = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    return connection.query(TABLES).execute()
      .compose(rows -> {
        rows.forEach(row -> {
          if (!excluded.contains(row.getString(0))) {
            names.add(row.getString(0));
          }
        });
        return connection.query(COLUMNS).execute();
      })
      .compose(rows -> {
        for (Row row : rows) {
          String extra = String.valueOf(row.getValue(3)).toUpperCase();
          // generated columns are computed by the server again on restore
          if (!extra.contains("GENERATED") && !extra.contains("PERSISTENT")) {
            columns.computeIfAbsent(row.getString(0), table -> new ArrayList<>())
              .add(new Column(row.getString(1), String.valueOf(row.getValue(2)).toLowerCase()));
          }
        }
        return connection.query(PRIMARY_KEYS).execute();
      })
      .compose(rows -> {
        rows.forEach(row -> keys.computeIfAbsent(row.getString(0), table -> new ArrayList<>()).add(row.getString(1)));
        Future<List<TableSchema>> all = Future.succeededFuture(new ArrayList<>());
        for (String name : names) {
          all = all.compose(list -> connection.query("SHOW CREATE TABLE " + TableSchema.quote(name)).execute().map(created -> {
            list.add(new TableSchema(name, created.iterator().next().getString(1), List.copyOf(columns.getOrDefault(name, List.of())),
              List.copyOf(keys.getOrDefault(name, List.of()))));
            return list;
          }));
        }
        return all;
      });
  }

  /** Each role's schema version, read from the {@code flyway_history_<role>} tables among {@code tables}. */
  public static Future<Map<String, String>> schemaVersions(SqlConnection connection, List<TableSchema> tables) {
    Map<String, String> versions = new TreeMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (TableSchema table : tables) {
      if (table.name().startsWith(FLYWAY_PREFIX)) {
        String role = table.name().substring(FLYWAY_PREFIX.length());
        chain = chain.compose(v -> connection.query(String.format(FLYWAY_VERSION, TableSchema.quote(table.name()))).execute().map(rows -> {
          rows.forEach(row -> versions.put(role, String.valueOf(row.getValue(0))));
          return null;
        }));
      }
    }
    return chain.map(versions);
  }

  /** The server's version and the database's name, for the manifest. */
  public static Future<Tuple> server(SqlConnection connection) {
    return connection.query("SELECT VERSION(), DATABASE()").execute().map(rows -> {
      Row row = rows.iterator().next();
      return Tuple.of(row.getString(0), row.getString(1));
    });
  }
}
