package space.mission.backup.restore;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.format.TableEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The staging schema a restore loads into, {@code <target>__mc_restore}, and the one swap that
 * puts its tables in place: a single {@code RENAME TABLE} (atomic in MariaDB and MySQL) that, when
 * forced, also moves the target's old copies of the backup's tables aside into
 * {@code <target>__mc_replaced}, dropped once the swap is done. Until that statement the target is
 * not touched; if it fails, nothing moved. Both names are reserved: one left by a restore that
 * crashed is dropped before the next one starts.
 */
final class Staging {

  static final String SUFFIX = "__mc_restore";
  static final String REPLACED_SUFFIX = "__mc_replaced";
  /** MariaDB's and MySQL's limit on a database name. */
  private static final int MAX_NAME = 64;

  private final SqlConnection connection;
  private final String target;
  private final String staging;
  private final String replaced;

  private Staging(SqlConnection connection, String target) {
    this.connection = connection;
    this.target = target;
    this.staging = target + SUFFIX;
    this.replaced = target + REPLACED_SUFFIX;
  }

  /** Fails before anything is created when the staging schemas' names would be too long for the server. */
  static Staging of(SqlConnection connection, String target) {
    if (target.length() + REPLACED_SUFFIX.length() > MAX_NAME) {
      throw new RestoreException("the target database name " + target + " is too long to stage a restore next to it (at most "
        + (MAX_NAME - REPLACED_SUFFIX.length()) + " characters)");
    }
    return new Staging(connection, target);
  }

  String name() {
    return staging;
  }

  /** Creates the staging schema (after dropping a leftover) and makes it the connection's default database. */
  Future<Void> create() {
    return dropSchemas()
      .compose(v -> connection.query("CREATE DATABASE " + Restorer.quote(staging) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").execute())
      .compose(v -> connection.query("USE " + Restorer.quote(staging)).execute())
      .mapEmpty();
  }

  /** The staged table's row count, read back from the server. */
  Future<Long> count(String table) {
    return connection.query("SELECT COUNT(*) FROM " + Restorer.quote(staging) + "." + Restorer.quote(table)).execute()
      .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Moves every staged table into the target in one statement; {@code existing} are the target's
   * tables, those of them the backup also has are moved aside in the same statement.
   */
  Future<Void> swap(List<TableEntry> tables, Set<String> existing) {
    List<String> moves = new ArrayList<>();
    boolean replacing = tables.stream().anyMatch(table -> existing.contains(table.name()));
    for (TableEntry table : tables) {
      if (existing.contains(table.name())) {
        moves.add(qualified(target, table.name()) + " TO " + qualified(replaced, table.name()));
      }
      moves.add(qualified(staging, table.name()) + " TO " + qualified(target, table.name()));
    }
    Future<Void> aside = replacing
      ? connection.query("CREATE DATABASE " + Restorer.quote(replaced) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").execute().mapEmpty()
      : Future.succeededFuture();
    return aside.compose(v -> connection.query("RENAME TABLE " + String.join(", ", moves)).execute()).mapEmpty();
  }

  /** Drops both schemas (the staged copy, the replaced tables) and returns the connection to the target. */
  Future<Void> dropSchemas() {
    return connection.query("USE " + Restorer.quote(target)).execute()
      .compose(v -> connection.query("DROP DATABASE IF EXISTS " + Restorer.quote(staging)).execute())
      .compose(v -> connection.query("DROP DATABASE IF EXISTS " + Restorer.quote(replaced)).execute())
      .mapEmpty();
  }

  private static String qualified(String schema, String table) {
    return Restorer.quote(schema) + "." + Restorer.quote(table);
  }
}
