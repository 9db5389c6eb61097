package space.mission.backup.catalog;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.backup.BackupVerticle;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.runtime.db.Databases;
import space.mission.runtime.db.Migrations;
import space.mission.testkit.RestartableDatabase;
import space.mission.testkit.TestDatabase;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A backup role whose lease was taken over (it was paused past the TTL) cannot start a backup: the catalog refuses it in the same transaction. */
class FencedStartTest {

  @Test
  @DisplayName("A backup starts under the lease's current generation only")
  void staleHolderStartsNothing() throws Exception {
    try (RestartableDatabase database = RestartableDatabase.start()) {
      DatabaseUrl url = database.database("fenced_backup");
      Vertx vertx = Vertx.vertx();
      try {
        Migrations.migrate(vertx, url, BackupVerticle.ROLE).await();
        Pool pool = Databases.pool(vertx, new DatabaseSettings(url, 2, Duration.ofSeconds(2), Duration.ofSeconds(1)), "fence-test");
        Duration ttl = Duration.ofMillis(800);
        SingletonLease first = new SingletonLease(pool, "role:backup", "first", ttl);
        SingletonLease second = new SingletonLease(pool, "role:backup", "second", ttl);
        assertThat(first.hold().await()).isTrue();
        Catalog stale = new Catalog(pool, first.fence());
        stale.started("b-1", "schedule", null, null, Instant.now(), "local").await();

        // time must pass: the first holder stops renewing, and only an expired lease can be taken over
        Thread.sleep(ttl.toMillis() + 300);
        assertThat(second.hold().await()).isTrue();
        assertThatThrownBy(() -> stale.started("b-2", "schedule", null, null, Instant.now(), "local").await())
          .isInstanceOf(SingletonLease.LeaseLostException.class);
        new Catalog(pool, second.fence()).started("b-3", "schedule", null, null, Instant.now(), "local").await();
        assertThat(TestDatabase.queryStrings(url, "SELECT id FROM backup_catalog ORDER BY id")).containsExactly("b-1", "b-3");
      } finally {
        vertx.close().await();
      }
    }
  }
}
