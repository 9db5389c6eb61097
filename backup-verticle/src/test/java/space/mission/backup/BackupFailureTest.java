package space.mission.backup;

import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.RestoreException;
import space.mission.common.bus.BackupEvent;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong: S3 failing in the middle of a multipart upload (no manifest, no unfinished
 * upload, no stray object, a FAILED event, and the retry succeeds), and an object corrupted in the
 * bucket (restore refuses before writing a row, naming the object).
 */
class BackupFailureTest {

  static final String BUCKET = "failing-backups";
  static final String PREFIX = "mission-control/backups/";

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path data;

  @RegisterExtension
  @Order(AwsBackupRig.AFTER_THE_DATABASE)
  static final AwsBackupRig rig = new AwsBackupRig();

  @BeforeAll
  static void start() {
    MissionTables.create(db, 1000);
    // about 20 MB that gzip cannot shrink much: four parts of 5 MiB
    db.execute("CREATE TABLE noise (id INT NOT NULL PRIMARY KEY, data VARBINARY(1024) NOT NULL)");
    db.execute("INSERT INTO noise SELECT a.i + 10 * b.i + 100 * c.i + 1000 * d.i + 10000 * e.i, RANDOM_BYTES(1024) "
      + "FROM digits a, digits b, digits c, digits d, digits e WHERE a.i + 10 * b.i + 100 * c.i + 1000 * d.i + 10000 * e.i < 20000");
    rig.start(db.url(), data, BUCKET);
  }

  @Test
  @DisplayName("S3 failing mid-upload: FAILED event, no manifest, no unfinished upload, nothing left; the retry succeeds")
  void failureMidUpload() throws Exception {
    rig.s3.failPartsAfter(1);
    BackupEvent failed = rig.backups.backup(Duration.ofMinutes(2));
    assertThat(failed.type()).isEqualTo(BackupEvent.Type.FAILED);
    assertThat(failed.error()).isNotBlank();
    assertThat(rig.s3.keys(BUCKET, PREFIX + failed.backupId() + "/")).as("no manifest, no objects").isEmpty();
    assertThat(rig.s3.unfinishedUploads(BUCKET)).as("no dangling multipart uploads").isEmpty();
    assertThat(rig.backups.events).filteredOn(event -> event.backupId().equals(failed.backupId())).extracting(BackupEvent::type)
      .containsExactly(BackupEvent.Type.STARTED, BackupEvent.Type.FAILED);

    rig.s3.failPartsAfter(-1);
    BackupEvent retried = rig.backups.backup(Duration.ofMinutes(2));
    assertThat(retried.type()).as(String.valueOf(retried.error())).isEqualTo(BackupEvent.Type.SUCCEEDED);
    assertThat(retried.verified()).isTrue();
    assertThat(rig.s3.keys(BUCKET, PREFIX + retried.backupId() + "/")).contains(PREFIX + Manifest.key(retried.backupId()),
      PREFIX + Manifest.tableKey(retried.backupId(), "noise"));
  }

  @Test
  @DisplayName("An object corrupted in the bucket: restore refuses naming the object, and writes nothing")
  void corruptObject() throws Exception {
    BackupEvent done = rig.backups.backup(Duration.ofMinutes(2));
    assertThat(done.type()).isEqualTo(BackupEvent.Type.SUCCEEDED);
    String key = PREFIX + Manifest.tableKey(done.backupId(), "telemetry");
    byte[] bytes = rig.s3.read(BUCKET, key);
    bytes[bytes.length / 2] ^= 0x5a;
    rig.s3.overwrite(BUCKET, key, bytes);

    DatabaseUrl fresh = TestDatabase.freshSchema("corrupt");
    try {
      SqlConnection target = MySQLConnection.connect(rig.vertx, fresh.connectOptions()).await();
      try {
        assertThatThrownBy(() -> rig.backups.restorer(rig.backups.store()).restore(done.backupId(), done.checksum(), target, data.resolve("corrupt"), false).await())
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("s3://" + BUCKET + "/" + key)
          .hasMessageContaining("does not match the manifest");
      } finally {
        target.close().await();
      }
      assertThat(TestDatabase.queryLong(fresh, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
        .as("nothing was written").isZero();
    } finally {
      TestDatabase.drop(fresh);
    }
  }
}
