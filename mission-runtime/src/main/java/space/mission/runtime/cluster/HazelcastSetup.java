package space.mission.runtime.cluster;

import com.hazelcast.config.AwsConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hazelcast configuration every member uses: Vert.x's own map settings (from
 * {@link ConfigUtil#loadConfig()}), then TCP-IP discovery over the configured member list with
 * multicast off, bound to this member's address. AWS discovery (EC2 tags, ECS) is a production
 * option documented in the README; it replaces the member list, nothing else.
 */
public final class HazelcastSetup {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);

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
    switch (settings.discovery()) {
      case MEMBERS -> join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
      case DNS -> join.getTcpIpConfig().setEnabled(true).setMembers(resolved(settings.members(), settings.port()));
      case AWS -> {
        // Hazelcast's own AWS discovery: on ECS it finds this cluster's tasks, on EC2 the instances with the tag
        AwsConfig aws = join.getAwsConfig().setEnabled(true).setUsePublicIp(false)
          .setProperty("hz-port", settings.port() + "-" + (settings.port() + 100));
        settings.awsTag().ifPresent(tag -> {
          String[] keyValue = tag.split("=", 2);
          aws.setProperty("tag-key", keyValue[0]);
          if (keyValue.length == 2) {
            aws.setProperty("tag-value", keyValue[1]);
          }
        });
      }
      default -> throw new IllegalStateException("unknown discovery " + settings.discovery());
    }
    return config;
  }

  /**
   * Every address each member name resolves to now, with its port (or the cluster port): a
   * discovery name has one record per running task, and a starting member joins any of them.
   * A name that resolves to nothing yet (the first task of a service) is left out; an entry that
   * is all unresolvable leaves this member to form the cluster alone, as the first one must.
   */
  static List<String> resolved(List<String> members, int defaultPort) {
    List<String> addresses = new ArrayList<>();
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      String name = colon > 0 ? member.substring(0, colon) : member;
      String port = colon > 0 ? member.substring(colon + 1) : String.valueOf(defaultPort);
      try {
        for (InetAddress address : InetAddress.getAllByName(name)) {
          if (address instanceof Inet4Address) {
            addresses.add(address.getHostAddress() + ":" + port);
          }
        }
      } catch (UnknownHostException e) {
        LOG.info("Cluster member name {} resolves to nothing yet ({}): left out", name, e.getMessage());
      }
    }
    return addresses.stream().distinct().toList();
  }
}
