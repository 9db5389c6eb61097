package space.mission.backup;

import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.util.List;

/**
 * Tables shaped like the mission's, with every kind of value a backup must carry unchanged:
 * auto-increment keys, a composite key, a table without a key, secondary and unique indexes, a
 * foreign key to a table that comes later in name order, NULLs, doubles, decimals, microsecond
 * date-times, JSON, bytes, bits, non-ASCII text.
 */
final class MissionTables {

  static final String TELEMETRY = """
    CREATE TABLE telemetry (
      id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
      mission     VARCHAR(64)   NOT NULL,
      level       VARCHAR(16)   NOT NULL,
      value       DOUBLE        NULL,
      amount      DECIMAL(14,4) NULL,
      recorded_at DATETIME(6)   NOT NULL,
      payload     JSON          NULL,
      note        TEXT          NULL,
      raw         VARBINARY(64) NULL,
      KEY ix_telemetry_mission (mission, recorded_at),
      UNIQUE KEY uq_telemetry_level (level, id)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin""";

  /** One row's fingerprint, computed by the server: the same in the source and in a restored copy. */
  static final String ROW_HASH = "CONCAT(id, ':', SHA2(CONCAT_WS('|', id, mission, level, COALESCE(value, 'null'), COALESCE(amount, 'null'), "
    + "recorded_at, COALESCE(payload, 'null'), COALESCE(note, 'null'), COALESCE(HEX(raw), 'null')), 256))";

  private MissionTables() {
  }

  /** Creates the tables and {@code rows} telemetry rows (a multiple of 10, up to 1,000,000). */
  static void create(FreshDatabase db, int rows) {
    db.execute(TELEMETRY);
    // a BIT column: this table is restored with INSERTs, the others with LOAD DATA
    db.execute("CREATE TABLE tags (mission VARCHAR(64) NOT NULL, tag VARCHAR(64) NOT NULL, since DATE NULL, flag BIT(1) NULL, PRIMARY KEY (mission, tag), "
      + "CONSTRAINT fk_tags_telemetry FOREIGN KEY (mission) REFERENCES telemetry (mission)) "
      + "ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin");
    db.execute("CREATE TABLE log_lines (line TEXT NOT NULL, at DATETIME NULL) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin");
    db.execute("CREATE TABLE digits (i INT NOT NULL PRIMARY KEY)");
    db.execute("INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
    db.execute("INSERT INTO log_lines VALUES ('boot ✓', '2026-11-22 06:00:00'), ('boot ✓', '2026-11-22 06:00:00'), ('halt', NULL)");
    int chunk = Math.min(rows, 100_000);
    for (int done = 0; done < rows; done += chunk) {
      db.execute(insertSelect(Math.min(chunk, rows - done)));
    }
    db.execute("INSERT INTO tags VALUES ('mission-3', 'deep-space', '2026-01-01', b'1'), ('mission-3', 'ion', NULL, b'0'), "
      + "('mission-5', 'deep-space', NULL, NULL)");
  }

  /** {@code count} rows from the digits' cross product (count a multiple of 10, at most 100,000). */
  private static String insertSelect(int count) {
    return "INSERT INTO telemetry (mission, level, value, amount, recorded_at, payload, note, raw) "
      + "SELECT CONCAT('mission-', n MOD 97), ELT(1 + n MOD 4, 'NOMINAL', 'WATCH', 'WARNING', 'CRITICAL'), "
      + "IF(n MOD 7 = 0, NULL, n / 3), IF(n MOD 5 = 0, NULL, n * 1.0001), "
      + "TIMESTAMPADD(MICROSECOND, n * 1234567, '2026-01-01 00:00:00'), "
      + "IF(n MOD 3 = 0, NULL, JSON_OBJECT('n', n, 'label', CONCAT('Δv-', n))), "
      + "IF(n MOD 11 = 0, NULL, CONCAT('note \"', n, '\" ünïcødé\\n\\t line')), "
      + "IF(n MOD 13 = 0, NULL, UNHEX(SHA2(n, 256))) "
      + "FROM (SELECT a.i + 10 * b.i + 100 * c.i + 1000 * d.i + 10000 * e.i AS n "
      + "FROM digits a, digits b, digits c, digits d, digits e) numbers WHERE n < " + count;
  }

  /** The four tables' indexes (columns) and foreign keys, one line each, in a stable order: equal for a faithful restore. */
  static List<String> keys(DatabaseUrl database) {
    String tables = " AND TABLE_NAME IN ('digits', 'log_lines', 'tags', 'telemetry') ";
    List<String> keys = new java.util.ArrayList<>(TestDatabase.queryStrings(database, "SELECT CONCAT_WS('|', TABLE_NAME, INDEX_NAME, NON_UNIQUE, "
      + "SEQ_IN_INDEX, COLUMN_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()" + tables + "ORDER BY 1"));
    keys.addAll(TestDatabase.queryStrings(database, "SELECT CONCAT_WS('|', CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, "
      + "REFERENCED_COLUMN_NAME) FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL"
      + tables + "ORDER BY 1"));
    return keys;
  }

  /** Every telemetry row's fingerprint up to {@code maxId}, in id order. */
  static List<String> rowHashes(DatabaseUrl database, long maxId) {
    return TestDatabase.queryStrings(database, "SELECT " + ROW_HASH + " FROM telemetry WHERE id <= " + maxId + " ORDER BY id");
  }
}
