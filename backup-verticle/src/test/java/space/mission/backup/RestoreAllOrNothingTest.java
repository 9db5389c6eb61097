package space.mission.backup;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.RestoreException;
import space.mission.common.bus.BackupEvent;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A restore is all or nothing (S3Proxy, the real database): one that fails on the last table, or
 * on a manifest edited since the backup, leaves an empty target without a table and a populated
 * one (forced) exactly as it was, with no staging schema left behind; once the manifest is fixed
 * the same restore succeeds.
 */
class RestoreAllOrNothingTest {

  static final String BUCKET = "restore-backups";
  static final String PREFIX = "mission-control/backups/";
  static final int ROWS = 1000;

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path data;

  @RegisterExtension
  @Order(AwsBackupRig.AFTER_THE_DATABASE)
  static final AwsBackupRig rig = new AwsBackupRig();
  static BackupEvent backup;
  static byte[] originalManifest;

  @BeforeAll
  static void start() throws Exception {
    MissionTables.create(db, ROWS);
    rig.start(db.url(), data, BUCKET);
    backup = rig.backups.backup(Duration.ofMinutes(2));
    assertThat(backup.type()).as(String.valueOf(backup.error())).isEqualTo(BackupEvent.Type.SUCCEEDED);
    originalManifest = rig.s3.read(BUCKET, manifestKey());
  }

  @Test
  @DisplayName("The last table's row count lowered in the manifest (its checksum in the catalog updated too): an empty target keeps no table; fixed, it restores")
  void lastTableShortIntoEmptyTarget() {
    DatabaseUrl target = TestDatabase.freshSchema("restore_empty");
    try {
      String checksum = editManifest(json -> lowerLastTableRows(json));
      Throwable failure = catchThrowable(() -> restore(target, checksum, false));
      assertThat(state(target)).as("no table in the target").isEmpty();
      assertThat(leftovers(target)).as("no staging schema left").isEmpty();
      assertThat(failure)
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("table telemetry")
        .hasMessageContaining(ROWS + " rows, the manifest says " + (ROWS - 1))
        .hasMessageContaining("the target was left unchanged");

      restoreOriginalManifest();
      restore(target, catalogChecksum(), false);
      assertThat(TestDatabase.queryLong(target, "SELECT COUNT(*) FROM telemetry")).isEqualTo(ROWS);
      assertThat(MissionTables.rowHashes(target, Long.MAX_VALUE)).isEqualTo(MissionTables.rowHashes(db.url(), Long.MAX_VALUE));
      assertThat(MissionTables.keys(target)).isEqualTo(MissionTables.keys(db.url()));
      assertThat(leftovers(target)).isEmpty();
    } finally {
      restoreOriginalManifest();
      TestDatabase.drop(target);
    }
  }

  @Test
  @DisplayName("The last table short, forced over a populated target: the same tables, rows and checksums afterwards; fixed, it replaces them")
  void lastTableShortOverPopulatedTarget() {
    DatabaseUrl target = populated("restore_forced");
    try {
      Map<String, String> before = state(target);
      String checksum = editManifest(json -> lowerLastTableRows(json));
      Throwable failure = catchThrowable(() -> restore(target, checksum, true));
      assertThat(state(target)).as("the target exactly as it was").isEqualTo(before);
      assertThat(leftovers(target)).isEmpty();
      assertThat(failure)
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("table telemetry")
        .hasMessageContaining("the target was left unchanged");

      restoreOriginalManifest();
      restore(target, catalogChecksum(), true);
      assertThat(TestDatabase.queryLong(target, "SELECT COUNT(*) FROM telemetry")).isEqualTo(ROWS);
      assertThat(MissionTables.rowHashes(target, Long.MAX_VALUE)).isEqualTo(MissionTables.rowHashes(db.url(), Long.MAX_VALUE));
      assertThat(TestDatabase.queryLong(target, "SELECT COUNT(*) FROM keep_me")).as("a table the backup does not have stays").isEqualTo(2);
      assertThat(leftovers(target)).as("the replaced tables dropped").isEmpty();
    } finally {
      restoreOriginalManifest();
      TestDatabase.drop(target);
    }
  }

  @Test
  @DisplayName("A manifest edited after the backup is refused by the catalog's checksum: an empty and a populated target stay as they were")
  void editedManifestRefused() {
    DatabaseUrl empty = TestDatabase.freshSchema("restore_edited");
    DatabaseUrl full = populated("restore_edited_forced");
    try {
      Map<String, String> before = state(full);
      editManifest(json -> lowerLastTableRows(json));
      String recorded = catalogChecksum();
      Throwable intoEmpty = catchThrowable(() -> restore(empty, recorded, false));
      Throwable overFull = catchThrowable(() -> restore(full, recorded, true));
      assertThat(state(empty)).isEmpty();
      assertThat(state(full)).isEqualTo(before);
      for (Throwable failure : new Throwable[] {intoEmpty, overFull}) {
        assertThat(failure)
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining(Manifest.key(backup.backupId()))
          .hasMessageContaining("has been changed since the backup was taken")
          .hasMessageContaining(recorded)
          .hasMessageContaining("the target was left unchanged");
      }

      restoreOriginalManifest();
      restore(empty, recorded, false);
      assertThat(TestDatabase.queryLong(empty, "SELECT COUNT(*) FROM telemetry")).isEqualTo(ROWS);
    } finally {
      restoreOriginalManifest();
      TestDatabase.drop(empty);
      TestDatabase.drop(full);
    }
  }

  /** A target restored from the backup, then changed: rows deleted and updated, and a table of its own. */
  private static DatabaseUrl populated(String owner) {
    DatabaseUrl target = TestDatabase.freshSchema(owner);
    restore(target, catalogChecksum(), false);
    TestDatabase.execute(target, "DELETE FROM telemetry WHERE id MOD 3 = 0 AND mission NOT IN (SELECT mission FROM tags)");
    TestDatabase.execute(target, "UPDATE log_lines SET line = 'changed after the backup'");
    TestDatabase.execute(target, "CREATE TABLE keep_me (id INT PRIMARY KEY)");
    TestDatabase.execute(target, "INSERT INTO keep_me VALUES (1), (2)");
    return target;
  }

  private static void restore(DatabaseUrl target, String manifestSha256, boolean force) {
    SqlConnection connection = MySQLConnection.connect(rig.vertx, target.connectOptions()).await();
    try {
      rig.backups.restorer(rig.backups.store()).restore(backup.backupId(), manifestSha256, connection, data.resolve("restore"), force).await();
    } finally {
      connection.close().await();
    }
  }

  /** What the catalog recorded for the backup's manifest when it was taken. */
  private static String catalogChecksum() {
    SqlConnection connection = MySQLConnection.connect(rig.vertx, db.url().connectOptions()).await();
    try {
      return Catalog.manifestChecksum(connection, backup.backupId()).await().orElseThrow();
    } finally {
      connection.close().await();
    }
  }

  /** The telemetry table, last in the manifest, one row short: the object and its content hash still match, only the row count does not. */
  private static void lowerLastTableRows(JsonObject manifest) {
    JsonObject last = manifest.getJsonArray("tables").getJsonObject(manifest.getJsonArray("tables").size() - 1);
    assertThat(last.getString("name")).isEqualTo("telemetry");
    last.put("rows", last.getLong("rows") - 1);
    manifest.put("rows", manifest.getLong("rows") - 1);
  }

  /** Rewrites the stored manifest; returns its new SHA-256 (what a catalog updated along with it would hold). */
  private static String editManifest(Consumer<JsonObject> edit) {
    JsonObject json = new JsonObject(new String(originalManifest, StandardCharsets.UTF_8));
    edit.accept(json);
    byte[] edited = json.encodePrettily().getBytes(StandardCharsets.UTF_8);
    rig.s3.overwrite(BUCKET, manifestKey(), edited);
    return Manifest.checksum(Buffer.buffer(edited));
  }

  private static void restoreOriginalManifest() {
    rig.s3.overwrite(BUCKET, manifestKey(), originalManifest);
  }

  private static String manifestKey() {
    return PREFIX + Manifest.key(backup.backupId());
  }

  /** Every table of the schema with its row count and CHECKSUM TABLE value. */
  private static Map<String, String> state(DatabaseUrl database) {
    Map<String, String> tables = new TreeMap<>();
    for (String table : TestDatabase.queryStrings(database, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
      try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.jdbcProperties());
           Statement statement = connection.createStatement();
           ResultSet checksum = statement.executeQuery("CHECKSUM TABLE `" + table + "`")) {
        checksum.next();
        tables.put(table, TestDatabase.queryLong(database, "SELECT COUNT(*) FROM `" + table + "`") + " rows, checksum " + checksum.getLong(2));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return tables;
  }

  /** Schemas a restore into {@code target} made next to it and left. */
  private static java.util.List<String> leftovers(DatabaseUrl target) {
    return TestDatabase.queryStrings(target, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '"
      + target.database().replace("_", "\\_") + "\\_\\_mc\\_%'");
  }
}
