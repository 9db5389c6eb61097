package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.db.Databases;
import space.mission.testkit.FreshDatabase;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease that keeps the alert and backup roles active on one instance, against the real database. */
class SingletonLeaseTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, new DatabaseSettings(db.url(), 2, Duration.ofSeconds(3), Duration.ofSeconds(2)), "lease-test");
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  @DisplayName("A lease never held before is taken at the first try, even in the millisecond its row is made")
  void freshLeaseAtFirstTry() {
    for (int i = 0; i < 50; i++) {
      assertThat(new SingletonLease(pool, "role:fresh-" + i, "a", Duration.ofSeconds(2)).hold().await())
        .as("the first hold of lease %d", i).isTrue();
    }
  }

  @Test
  @DisplayName("One holder at a time: the first takes it, renews keep it, a lapsed lease goes to the other, the old holder then loses it, "
    + "and a released lease is free at once")
  void oneHolderAtATime() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    SingletonLease a = new SingletonLease(pool, "role:test", "a", ttl);
    SingletonLease b = new SingletonLease(pool, "role:test", "b", ttl);

    assertThat(a.hold().await()).isTrue();
    assertThat(b.hold().await()).as("held by a").isFalse();
    // time must pass: renewal and expiry are about the lease's age, so the test lets it age
    Thread.sleep(1200);
    assertThat(a.hold().await()).as("a renews").isTrue();
    Thread.sleep(1200);
    assertThat(b.hold().await()).as("renewed 1.2 s ago: still a's").isFalse();
    assertThat(a.currentHolder().await()).startsWith("a until ");

    // time must pass: only an expired lease can be taken over
    Thread.sleep(ttl.toMillis() + 300);
    assertThat(b.hold().await()).as("a stopped renewing: b takes over").isTrue();
    assertThat(a.hold().await()).as("a has lost it").isFalse();

    b.release().await();
    assertThat(a.hold().await()).as("released: free at once").isTrue();
    assertThat(new SingletonLease(pool, "role:other", "b", ttl).hold().await()).as("leases are per name").isTrue();
  }
}
