package space.mission.backup;

import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.backup.format.Manifest;
import space.mission.backup.format.TableEntry;
import space.mission.backup.store.BackupStore;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupQuery;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup to S3 (S3Proxy) taken while another task keeps writing is a point-in-time copy: restored
 * into a fresh schema it equals the snapshot row by row, and the rows written meanwhile are not in it.
 */
class BackupConsistencyTest {

  static final int ROWS = 100_000;

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path data;

  @RegisterExtension
  @Order(AwsBackupRig.AFTER_THE_DATABASE)
  static final AwsBackupRig rig = new AwsBackupRig();

  @BeforeAll
  static void start() {
    MissionTables.create(db, ROWS);
    rig.start(db.url(), data, "mission-backups");
  }

  @Test
  @DisplayName("Backed up while updates are written, restored into a fresh schema: equal to the snapshot row by row, verified, listed")
  void pointInTimeCopy() throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> write(writing, written), "concurrent-writer");
    writer.start();
    BackupEvent finished;
    long writtenAtStart;
    try {
      Await.until(Duration.ofSeconds(60), Duration.ofMillis(10), () -> "the concurrent writer's first 50 updates", () -> written.get() >= 50);
      writtenAtStart = written.get();
      finished = rig.backups.backup(Duration.ofMinutes(3));
    } finally {
      writing.set(false);
      writer.join();
    }
    assertThat(finished.type()).as(String.valueOf(finished.error())).isEqualTo(BackupEvent.Type.SUCCEEDED);
    assertThat(finished.verified()).as("restored into a scratch schema and compared: %s",
      rig.backups.query(BackupQuery.Action.GET, new JsonObject().put("id", finished.backupId())).getJsonObject("verification")).isTrue();
    assertThat(written.get()).as("rows were written while the backup ran").isGreaterThan(writtenAtStart + 10);

    BackupStore store = rig.backups.store();
    Manifest manifest = rig.backups.restorer(store).manifest(finished.backupId()).toCompletionStage().toCompletableFuture().get();
    TableEntry telemetry = manifest.tables().stream().filter(table -> table.name().equals("telemetry")).findFirst().orElseThrow();
    assertThat(manifest.tables()).extracting(TableEntry::name).containsExactly("digits", "log_lines", "tags", "telemetry");
    assertThat(telemetry.rows()).isBetween((long) ROWS + writtenAtStart, (long) ROWS + written.get() - 1);
    assertThat(rig.s3.keys("mission-backups", "mission-control/backups/" + finished.backupId() + "/"))
      .contains("mission-control/backups/" + Manifest.key(finished.backupId()));

    DatabaseUrl fresh = TestDatabase.freshSchema("restored");
    try {
      SqlConnection target = MySQLConnection.connect(rig.vertx, fresh.connectOptions()).await();
      try {
        rig.backups.restorer(store).restore(finished.backupId(), finished.checksum(), target, data.resolve("restore"), false).await();
      } finally {
        target.close().await();
      }
      assertThat(TestDatabase.queryLong(fresh, "SELECT COUNT(*) FROM telemetry")).isEqualTo(telemetry.rows());
      // one writer committing in id order: the snapshot holds exactly the source's rows up to some id, and none after it
      long lastId = TestDatabase.queryLong(fresh, "SELECT MAX(id) FROM telemetry");
      assertThat(db.queryLong("SELECT COUNT(*) FROM telemetry WHERE id <= " + lastId)).as("nothing half-seen").isEqualTo(telemetry.rows());
      assertThat(MissionTables.rowHashes(fresh, lastId)).isEqualTo(MissionTables.rowHashes(db.url(), lastId));
      // indexes and foreign keys are added after the rows: all of them, as they were
      assertThat(MissionTables.keys(fresh)).contains("telemetry|ix_telemetry_mission|1|2|recorded_at", "fk_tags_telemetry|tags|mission|telemetry|mission")
        .isEqualTo(MissionTables.keys(db.url()));
      assertThat(TestDatabase.queryStrings(fresh, "SELECT CONCAT_WS('|', mission, tag, COALESCE(since, '-'), COALESCE(flag + 0, '-')) "
          + "FROM tags ORDER BY 1")).containsExactly("mission-3|deep-space|2026-01-01|1", "mission-3|ion|-|0", "mission-5|deep-space|-|-");
      assertThat(TestDatabase.queryStrings(fresh, "SELECT CONCAT_WS('|', line, COALESCE(at, '-')) FROM log_lines ORDER BY 1"))
        .isEqualTo(db.queryStrings("SELECT CONCAT_WS('|', line, COALESCE(at, '-')) FROM log_lines ORDER BY 1"));
      assertThat(TestDatabase.queryLong(fresh, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
        + "AND TABLE_NAME LIKE 'backup%'")).as("the catalog is not part of a backup").isZero();
    } finally {
      TestDatabase.drop(fresh);
    }

    JsonObject listed = rig.backups.query(BackupQuery.Action.LIST, new JsonObject());
    JsonObject entry = listed.getJsonArray("items").getJsonObject(0);
    assertThat(entry.getString("id")).isEqualTo(finished.backupId());
    assertThat(entry.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(entry.getBoolean("verified")).isTrue();
    assertThat(entry.getLong("rows")).isEqualTo(manifest.rows());
    assertThat(listed.getJsonObject("newestVerified").getLong("ageSeconds")).isBetween(0L, 60L);
    JsonObject one = rig.backups.query(BackupQuery.Action.GET, new JsonObject().put("id", finished.backupId()));
    assertThat(one.getJsonObject("verification").getBoolean("ok")).isTrue();
    assertThat(rig.backups.refusal(BackupQuery.Action.GET, new JsonObject().put("id", "nope"))).isEqualTo(404);

    // the recovery point reaches CloudWatch as a metric
    Await.value(Duration.ofSeconds(15), Duration.ofMillis(100), rig.cloudWatch::datums,
      datums -> datums.stream().anyMatch(datum -> datum.name().startsWith("mission.backup.newest.verified.age")));
    assertThat(rig.cloudWatch.datums()).filteredOn(datum -> datum.name().startsWith("mission.backup.newest.verified.age"))
      .isNotEmpty().allSatisfy(datum -> assertThat(datum.value()).isBetween(0.0, 60.0));
  }

  /** Inserts telemetry rows one transaction at a time, as fast as it can, until told to stop. */
  private static void write(AtomicBoolean writing, AtomicLong written) {
    DatabaseUrl url = db.url();
    try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
         PreparedStatement insert = connection.prepareStatement("INSERT INTO telemetry (mission, level, value, recorded_at, note) "
           + "VALUES ('writer', 'NOMINAL', ?, NOW(6), 'written during the backup')")) {
      while (writing.get()) {
        insert.setDouble(1, written.get());
        insert.executeUpdate();
        written.incrementAndGet();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
