package space.mission.runtime.cluster;

import space.mission.common.config.ConfigReader;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The {@code cluster} section: how this member finds the others and where it can be reached. */
public record ClusterSettings(boolean enabled, String name, List<String> members, int port,
                              Optional<String> host, Optional<String> publicHost, Discovery discovery, Optional<String> awsTag) {

  /**
   * How members find each other: {@code members}, the list as given (TCP-IP); {@code dns}, every
   * address each listed name resolves to when this member starts (a service-discovery name with
   * one record per task, such as Cloud Map's); {@code aws}, Hazelcast's AWS discovery (on ECS the
   * tasks of this cluster, on EC2 the instances tagged {@code cluster.awsTag}).
   */
  public enum Discovery { MEMBERS, DNS, AWS }

  /** A member found by its list (tests, benchmarks, compose). */
  public ClusterSettings(boolean enabled, String name, List<String> members, int port, Optional<String> host, Optional<String> publicHost) {
    this(enabled, name, members, port, host, publicHost, Discovery.MEMBERS, Optional.empty());
  }

  public static ClusterSettings from(ConfigReader config) {
    return new ClusterSettings(
      config.bool("cluster.enabled"),
      config.string("cluster.name"),
      config.strings("cluster.members"),
      config.integer("cluster.port", 1, 65535),
      config.optionalString("cluster.host"),
      config.optionalString("cluster.publicHost"),
      config.enumValue("cluster.discovery", Discovery.class),
      config.optionalString("cluster.awsTag"));
  }

  public ClusterSettings withEnabled(boolean on) {
    return new ClusterSettings(on, name, members, port, host, publicHost, discovery, awsTag);
  }

  /**
   * This member's address: the configured one; else 127.0.0.1 when every member is on loopback
   * (a cluster on one machine); else the first non-loopback IPv4 address.
   */
  public String effectiveHost() {
    if (host.isPresent()) {
      return host.get();
    }
    boolean loopbackOnly = !members.isEmpty() && members.stream().allMatch(ClusterSettings::isLoopback);
    if (loopbackOnly) {
      return "127.0.0.1";
    }
    return firstNonLoopbackAddress().orElse("127.0.0.1");
  }

  private static boolean isLoopback(String member) {
    String hostPart = member.replaceFirst(":\\d+$", "");
    return hostPart.equals("localhost") || hostPart.startsWith("127.");
  }

  private static Optional<String> firstNonLoopbackAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
