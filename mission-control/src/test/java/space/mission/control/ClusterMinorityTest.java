package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.testkit.Await.until;

/**
 * MC_CLUSTER_MIN_MEMBERS: a member that sees fewer cluster members than that neither takes nor
 * keeps the alert role's lease, though it reaches the database. Two clustered launchers in this JVM
 * (real Hazelcast members on loopback, one database): alone, neither holds the lease; together, one
 * does; when the other leaves, the one left sees too few and releases it.
 */
class ClusterMinorityTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  private static Map<String, String> env(Path data, int clusterPort) throws Exception {
    return Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_API_TOKENS", "minority-token-0123456789",
      "MC_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort, "MC_CLUSTER_PORT", String.valueOf(clusterPort), "MC_MANAGEMENT_PORT", "0",
      "MC_CLUSTER_MIN_MEMBERS", "2", "MC_CLUSTER_LEASE_TTL", "2s", "MC_CLUSTER_LEASE_RENEW_EVERY", "200ms");
  }

  /** Whether someone holds the alert lease now (the row exists and has not expired). */
  private static boolean held() {
    if (db.queryLong("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'mission_lease'") == 0) {
      return false;
    }
    return db.queryLong("SELECT COUNT(*) FROM mission_lease WHERE name = 'role:alert' AND holder <> '' AND expires_at > NOW(3)") > 0;
  }


  /** This instance's {@code mission_singleton_active{role="alert"}} as /metrics shows it: 1 while it runs the role. */
  private static int active(MissionControl instance) {
    String scrape = MissionMetrics.of(instance.vertx()).prometheus().scrape();
    if (scrape.contains("mission_singleton_active{role=\"alert\"} 1.0")) {
      return 1;
    }
    assertThat(scrape).contains("mission_singleton_active{role=\"alert\"} 0.0");
    return 0;
  }

  @Test
  @DisplayName("With MC_CLUSTER_MIN_MEMBERS=2 a lone member does not take the alert lease; a pair does (its holder's mission_singleton_active gauge 1); the one left alone releases it")
  void minorityNeverHoldsTheLease(@TempDir Path dataA, @TempDir Path dataB) throws Exception {
    int clusterPort = 24000 + (int) (Math.random() * 2000);
    MissionControl a = MissionControl.start(new MissionControl.Options(List.of("alert"), true), env(dataA, clusterPort));
    MissionControl b = null;
    try {
      // time must pass: what is checked is that nothing happens, over a few lease renewals
      Thread.sleep(3000);
      assertThat(held()).as("a member alone does not take the lease").isFalse();

      assertThat(active(a)).as("the lone member's gauge").isZero();
      b = MissionControl.start(new MissionControl.Options(List.of("alert"), true), env(dataB, clusterPort));
      until(Duration.ofSeconds(20), ClusterMinorityTest::held);
      MissionControl pairedB = b;
      until(Duration.ofSeconds(10), () -> active(a) + active(pairedB) == 1);

      b.stop();
      b = null;
      // the one left sees one member: it steps down and releases the lease (or never held it)
      until(Duration.ofSeconds(25), () -> !held());
      // time must pass: what is checked is that it is not taken again, over a few lease renewals
      Thread.sleep(2500);
      assertThat(held()).as("and does not take it again").isFalse();
      assertThat(active(a)).as("the gauge of the one left").isZero();
    } finally {
      if (b != null) {
        b.stop();
      }
      a.stop();
    }
  }
}
