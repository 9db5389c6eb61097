package space.mission.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast configuration every member uses: Vert.x's own map settings (from
 * {@link ConfigUtil#loadConfig()}), then TCP-IP discovery over the configured member list with
 * multicast off, bound to this member's address. AWS discovery (EC2 tags, ECS) is a production
 * option documented in the README; it replaces the member list, nothing else.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  public static HazelcastClusterManager clusterManager(ClusterSettings settings) {
    return new HazelcastClusterManager(config(settings));
  }

  static Config config(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    // no network beyond the members: never phone home
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x closes Hazelcast itself after undeploying; Hazelcast's own hook would pull the bus away first
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member list is given: no need to wait long for others before forming the cluster
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // after a partition heals, the split clusters look for each other and merge within seconds, not
    // Hazelcast's default of 300 s for the first try and 120 s between tries
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // a member given without a port is looked for on this many ports from cluster.port up
    config.setProperty("hazelcast.tcp.join.port.try.count", "10");

    String host = settings.effectiveHost();
    config.setProperty("hazelcast.local.localAddress", host);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(true).setPortCount(100);
    settings.publicHost().ifPresent(publicHost -> network.setPublicAddress(publicHost));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    return config;
  }
}
