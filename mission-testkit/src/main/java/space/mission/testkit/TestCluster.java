package space.mission.testkit;

import io.vertx.core.Vertx;
import space.mission.runtime.MissionVertx;
import space.mission.runtime.cluster.ClusterSettings;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clustered Vert.x instances for tests: Hazelcast TCP-IP on 127.0.0.1, a cluster name of their own
 * (so a test never joins anything else) and a port range away from Hazelcast's default.
 */
public final class TestCluster {

  private final ClusterSettings settings;

  private TestCluster(ClusterSettings settings) {
    this.settings = settings;
  }

  public static TestCluster create() {
    int port = 20000 + ThreadLocalRandom.current().nextInt(200) * 50;
    return new TestCluster(new ClusterSettings(true, "mc-test-" + UUID.randomUUID(), List.of("127.0.0.1"),
      port, Optional.of("127.0.0.1"), Optional.empty()));
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** A new member of this test cluster, built like the launcher builds one. */
  public Vertx member() {
    return MissionVertx.start(settings).await();
  }
}
