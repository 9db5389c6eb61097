package space.mission.backup;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupQuery;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A backup request is answered once the backup is in the catalog, so the id it hands out can be read at once. */
class BackupAcceptedTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @Test
  @DisplayName("Every accepted backup request names a backup the catalog already has")
  void acceptedIsCataloged(@TempDir Path data) throws Exception {
    MissionTables.create(db, 50);
    Vertx vertx = Vertx.vertx();
    try {
      BackupHarness backups = new BackupHarness(vertx, db.url(), data, Map.of()).deploy();
      // a slow catalog write, as under load: a reply sent before the row is committed names a backup nobody can read yet
      db.execute("CREATE TRIGGER slow_catalog BEFORE INSERT ON backup_catalog FOR EACH ROW SET @slept = SLEEP(0.3)");
      for (int i = 0; i < 5; i++) {
        BackupAccepted accepted = backups.request("ops-" + i);
        JsonObject entry = backups.query(BackupQuery.Action.GET, new JsonObject().put("id", accepted.backupId()));
        assertThat(entry).as("backup %s is readable as soon as it is accepted", accepted.backupId()).isNotNull();
        assertThat(entry.getString("id")).isEqualTo(accepted.backupId());
        backups.awaitFinished(accepted.backupId(), Duration.ofMinutes(1));
      }
      // the catalog's text columns at the contract's maxima, in 4-byte characters
      String rocket = "\uD83D\uDE80";
      String by = rocket.repeat(200);
      String reason = rocket.repeat(500);
      BackupAccepted largest = BackupAccepted.fromJson(vertx.eventBus().<JsonObject>request(space.mission.common.bus.Addresses.BACKUP_REQUEST,
        new space.mission.common.bus.BackupRequest(by, reason).toJson()).await().body());
      backups.awaitFinished(largest.backupId(), Duration.ofMinutes(1));
      JsonObject entry = backups.query(BackupQuery.Action.GET, new JsonObject().put("id", largest.backupId()));
      assertThat(entry.getString("requestedBy")).isEqualTo(by);
      assertThat(entry.getString("reason")).isEqualTo(reason);
    } finally {
      vertx.close().await();
      db.execute("DROP TRIGGER IF EXISTS slow_catalog");
    }
  }
}
