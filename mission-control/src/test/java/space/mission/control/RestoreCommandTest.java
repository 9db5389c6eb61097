package space.mission.control;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupRequest;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore command reads the manifest's checksum from the backup catalog (the real MariaDB, a
 * local store): with it the backup restores; without it (the catalog row gone) the restore is
 * refused before a row is written, unless --unchecked-manifest says to take the manifest's word.
 */
class RestoreCommandTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @Test
  @DisplayName("restore checks the manifest against the catalog; a backup the catalog does not know is refused unless --unchecked-manifest")
  void catalogChecksum(@TempDir Path data) throws Exception {
    db.execute("CREATE TABLE readings (id INT PRIMARY KEY, value VARCHAR(20) NOT NULL)");
    db.execute("INSERT INTO readings VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    Map<String, String> env = Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_BACKUP_SCHEDULE", "off",
      "MC_MANAGEMENT_PORT", String.valueOf(MissionControlTest.freePort()));
    String backupId;
    MissionControl running = MissionControl.start(new MissionControl.Options(List.of("backup"), null), env);
    try {
      backupId = BackupAccepted.fromJson(running.vertx().eventBus().<JsonObject>request(Addresses.BACKUP_REQUEST,
        new BackupRequest("test", "restore command test").toJson()).await().body()).backupId();
      String id = backupId;
      String state = Await.value(Duration.ofSeconds(60), Duration.ofMillis(100),
        () -> String.join("", db.queryStrings("SELECT CONCAT(state, ':', COALESCE(verified, '')) FROM backup_catalog WHERE id = '" + id + "'")),
        "SUCCEEDED:1"::equals);
      assertThat(state).as("the backup, verified").isEqualTo("SUCCEEDED:1");
    } finally {
      running.stop();
    }

    DatabaseUrl checked = TestDatabase.freshSchema("restore_checked");
    DatabaseUrl unknown = TestDatabase.freshSchema("restore_unknown");
    try {
      Run restored = restore(env, "--backup", backupId, "--target-db", checked.url());
      assertThat(restored.exit()).as(restored.err()).isZero();
      assertThat(TestDatabase.queryLong(checked, "SELECT COUNT(*) FROM readings")).isEqualTo(3);

      db.execute("DELETE FROM backup_catalog WHERE id = '" + backupId + "'");
      Run refused = restore(env, "--backup", backupId, "--target-db", unknown.url());
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("has no finished backup " + backupId, "--unchecked-manifest", "nothing was restored");
      assertThat(TestDatabase.queryLong(unknown, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")).isZero();

      Run unchecked = restore(env, "--backup", backupId, "--target-db", unknown.url(), "--unchecked-manifest");
      assertThat(unchecked.exit()).as(unchecked.err()).isZero();
      assertThat(unchecked.err()).contains("restoring on the manifest's own word");
      assertThat(TestDatabase.queryLong(unknown, "SELECT COUNT(*) FROM readings")).isEqualTo(3);
    } finally {
      TestDatabase.drop(checked);
      TestDatabase.drop(unknown);
    }
  }

  private record Run(int exit, String out, String err) {
  }

  private static Run restore(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new RestoreCommand(env, new PrintWriter(out, true), new PrintWriter(err, true))).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
