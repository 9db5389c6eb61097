package space.mission.runtime.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.runtime.MissionVertx;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How members find each other (cluster.discovery), and the failure-detection and merge settings. */
class HazelcastSetupTest {

  private static ClusterSettings settings(ClusterSettings.Discovery discovery, List<String> members, int port, Optional<String> tag) {
    return new ClusterSettings(true, "mc-setup-" + UUID.randomUUID(), members, port, Optional.of("127.0.0.1"), Optional.empty(),
      discovery, tag);
  }

  @Test
  @DisplayName("members: the list as given; a split heals within seconds (merge every 5 s, member gone after 10 s)")
  void members() {
    Config config = HazelcastSetup.config(settings(ClusterSettings.Discovery.MEMBERS, List.of("10.0.0.7:5701", "ground-2"), 5701, Optional.empty()));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.7:5701", "ground-2");
    assertThat(join.getAwsConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
  }

  @Test
  @DisplayName("dns: every IPv4 address of each name, with its port or the cluster port; a name that resolves to nothing is left out")
  void dns() {
    assertThat(HazelcastSetup.resolved(List.of("localhost:5801", "localhost", "no-such-member.invalid"), 5799))
      .containsExactly("127.0.0.1:5801", "127.0.0.1:5799");
    Config config = HazelcastSetup.config(settings(ClusterSettings.Discovery.DNS, List.of("localhost:5801"), 5801, Optional.empty()));
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801");
  }

  @Test
  @DisplayName("aws: Hazelcast's AWS discovery on private addresses, with the tag, and no member list")
  void aws() {
    Config config = HazelcastSetup.config(settings(ClusterSettings.Discovery.AWS, List.of("unused"), 5701, Optional.of("mission-cluster=prod")));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getAwsConfig().isEnabled()).isTrue();
    assertThat(join.getAwsConfig().isUsePublicIp()).isFalse();
    assertThat(join.getAwsConfig().getProperties()).containsEntry("tag-key", "mission-cluster").containsEntry("tag-value", "prod")
      .containsEntry("hz-port", "5701-5801");
  }

  @Test
  @DisplayName("dns: two members given only a name find each other and form one cluster")
  void dnsMembersJoin() {
    int port = 26000 + (int) (Math.random() * 2000);
    String name = "mc-dns-" + UUID.randomUUID();
    ClusterSettings first = new ClusterSettings(true, name, List.of("localhost:" + port), port, Optional.of("127.0.0.1"), Optional.empty(),
      ClusterSettings.Discovery.DNS, Optional.empty());
    Vertx a = MissionVertx.start(first).await();
    Vertx b = MissionVertx.start(first).await();
    try {
      assertThat(((VertxInternal) a).clusterManager().getNodes()).hasSize(2);
      assertThat(((VertxInternal) b).clusterManager().getNodes()).hasSize(2);
    } finally {
      b.close().await();
      a.close().await();
    }
  }
}
