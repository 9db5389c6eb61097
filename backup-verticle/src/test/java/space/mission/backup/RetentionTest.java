package space.mission.backup;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.backup.catalog.RetentionPolicy;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupQuery;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestClock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Local mode (data/backups): the retention policy, and the catalog made to agree with the store after a stop. */
class RetentionTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @Test
  @DisplayName("The policy keeps the newest N and everything younger than D, and drops old records of failed runs")
  void policy() {
    Instant now = Instant.parse("2026-11-22T12:00:00Z");
    List<CatalogEntry> entries = List.of(entry("d", CatalogEntry.State.SUCCEEDED, now.minus(Duration.ofHours(1))),
      entry("c", CatalogEntry.State.SUCCEEDED, now.minus(Duration.ofHours(30))),
      entry("failed-young", CatalogEntry.State.FAILED, now.minus(Duration.ofHours(2))),
      entry("b", CatalogEntry.State.SUCCEEDED, now.minus(Duration.ofHours(50))),
      entry("failed-old", CatalogEntry.State.FAILED, now.minus(Duration.ofHours(60))),
      entry("a", CatalogEntry.State.SUCCEEDED, now.minus(Duration.ofHours(80))),
      entry("running", CatalogEntry.State.RUNNING, now.minus(Duration.ofHours(90))));
    assertThat(new RetentionPolicy(1, Duration.ofHours(36)).expired(entries, now)).extracting(CatalogEntry::id)
      .containsExactlyInAnyOrder("b", "a", "failed-old");
    assertThat(new RetentionPolicy(3, Duration.ofHours(36)).expired(entries, now)).extracting(CatalogEntry::id)
      .containsExactlyInAnyOrder("a", "failed-old");
    assertThat(new RetentionPolicy(1, Duration.ZERO).expired(entries, now)).extracting(CatalogEntry::id)
      .containsExactlyInAnyOrder("c", "b", "a", "failed-young", "failed-old");
  }

  @Test
  @DisplayName("Four daily backups, keep the last 1 and 36 hours: the two oldest are deleted from data/backups and the catalog; "
    + "after a stop the catalog is rebuilt from the store")
  void retentionAndReconcile(@TempDir Path data) throws Exception {
    MissionTables.create(db, 100);
    TestClock clock = TestClock.running();
    Vertx vertx = Vertx.vertx();
    try {
      BackupHarness backups = new BackupHarness(vertx, db.url(), data, Map.of("MC_BACKUP_RETENTION_KEEP_LAST", "1",
        "MC_BACKUP_RETENTION_KEEP_FOR", "36h")).deploy(clock);
      List<String> ids = new ArrayList<>();
      for (int day = 0; day < 4; day++) {
        BackupEvent done = backups.backup(Duration.ofMinutes(1));
        assertThat(done.type()).as(String.valueOf(done.error())).isEqualTo(BackupEvent.Type.SUCCEEDED);
        ids.add(done.backupId());
        clock.advance(Duration.ofDays(1));
      }
      clock.advance(Duration.ofDays(-1));
      // after the fourth backup: the newest (now) and the one a day old stay; two and three days old go
      List<String> kept = ids.subList(2, 4);
      assertThat(listedIds(backups)).containsExactlyInAnyOrderElementsOf(kept);
      assertThat(backupFolders(data)).containsExactlyInAnyOrderElementsOf(kept);

      backups.undeploy();
      db.execute("DELETE FROM backup_catalog");
      db.execute("INSERT INTO backup_catalog (id, state, trigger_kind, started_at) VALUES ('crashed', 'RUNNING', 'request', NOW(6))");
      Path partial = data.resolve("backups/crashed/telemetry.ndjson.gz.partial");
      Files.createDirectories(partial.getParent());
      Files.writeString(partial, "half an object");
      backups.deploy(clock);

      JsonArray items = backups.query(BackupQuery.Action.LIST, new JsonObject()).getJsonArray("items");
      assertThat(listedIds(backups)).containsExactlyInAnyOrder(kept.get(0), kept.get(1), "crashed");
      JsonObject crashed = items.stream().map(JsonObject.class::cast).filter(item -> item.getString("id").equals("crashed")).findFirst().orElseThrow();
      assertThat(crashed.getString("state")).isEqualTo("FAILED");
      assertThat(crashed.getString("error")).contains("interrupted");
      assertThat(items.stream().map(JsonObject.class::cast).filter(item -> kept.contains(item.getString("id"))))
        .allSatisfy(item -> assertThat(item.getString("trigger")).isEqualTo("found"));
      assertThat(partial).doesNotExist();
    } finally {
      vertx.close().await();
    }
  }

  private static List<String> listedIds(BackupHarness backups) {
    return backups.query(BackupQuery.Action.LIST, new JsonObject()).getJsonArray("items").stream()
      .map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static List<String> backupFolders(Path data) throws Exception {
    try (Stream<Path> folders = Files.list(data.resolve("backups"))) {
      return folders.map(folder -> folder.getFileName().toString()).toList();
    }
  }

  private static CatalogEntry entry(String id, CatalogEntry.State state, Instant startedAt) {
    return new CatalogEntry(id, state, CatalogEntry.REQUEST, null, null, startedAt, null, null, null, null, null, null, null, null, null, null);
  }
}
