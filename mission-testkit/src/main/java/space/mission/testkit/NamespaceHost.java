package space.mission.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A host of its own for one process: a Linux network namespace joined to the test's namespace by a
 * veth pair, with a private /30 of {@code 10.213.<index>.0}: the test's side is {@link #gateway()},
 * the host's is {@link #address()}. What runs inside through {@link #command()} can be cut off for
 * real with {@link #cutOffExcept} (iptables DROP inside the namespace; connections hang as on a
 * broken network, nothing is refused) and {@link #heal}ed. Needs root, iproute2 and iptables;
 * without them the test is skipped, or fails when every part is required. {@link #close()} removes
 * the namespace, the link and its rules; a namespace left by a crashed run is removed before reuse.
 */
public final class NamespaceHost implements AutoCloseable {

  private static final String PREFIX = "mc-t";

  private final String namespace;
  private final String link;
  private final String gateway;
  private final String address;

  private NamespaceHost(String namespace, String link, String gateway, String address) {
    this.namespace = namespace;
    this.link = link;
    this.gateway = gateway;
    this.address = address;
  }

  /** Creates host {@code index} (1-250): namespace {@code mc-t<index>}, link {@code mcv<index>}. */
  public static NamespaceHost create(int index) {
    if (index < 1 || index > 250) {
      throw new IllegalArgumentException("host index " + index + " is not in 1-250");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      Infra.missing("network namespaces", "creating them needs root; run as root (CI does)");
    }
    for (String tool : List.of("ip", "iptables")) {
      if (!onPath(tool)) {
        Infra.missing("network namespaces", tool + " is not installed (Debian packages iproute2 and iptables)");
      }
    }
    String namespace = PREFIX + index;
    String link = "mcv" + index;
    String gateway = "10.213." + index + ".1";
    String address = "10.213." + index + ".2";
    removeQuietly(namespace, link);
    NamespaceHost host = new NamespaceHost(namespace, link, gateway, address);
    try {
      run("ip", "netns", "add", namespace);
      run("ip", "link", "add", link, "type", "veth", "peer", "name", link + "i");
      run("ip", "link", "set", link + "i", "netns", namespace);
      run("ip", "addr", "add", gateway + "/30", "dev", link);
      run("ip", "link", "set", link, "up");
      host.inside("ip", "addr", "add", address + "/30", "dev", link + "i");
      host.inside("ip", "link", "set", link + "i", "up");
      host.inside("ip", "link", "set", "lo", "up");
      return host;
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  /** This host's address, as the processes inside see themselves. */
  public String address() {
    return address;
  }

  /** The test's side of the link: where processes inside reach the test's namespace. */
  public String gateway() {
    return gateway;
  }

  /** The prefix that runs a command inside this host. */
  public List<String> command() {
    return List.of("ip", "netns", "exec", namespace);
  }

  /**
   * Drops every packet between this host and the test's namespace except TCP to and from the
   * given ports on {@link #gateway()} (the relays to the database and the AWS stand-ins): the host is
   * cut off from its cluster but keeps what it needs to act, the partition the lease must survive.
   */
  public void cutOffExcept(int... gatewayPorts) {
    StringJoiner ports = new StringJoiner(",");
    for (int port : gatewayPorts) {
      ports.add(String.valueOf(port));
    }
    inside("iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
    inside("iptables", "-A", "OUTPUT", "-o", "lo", "-j", "ACCEPT");
    if (gatewayPorts.length > 0) {
      inside("iptables", "-A", "INPUT", "-p", "tcp", "-s", gateway, "-m", "multiport", "--sports", ports.toString(), "-j", "ACCEPT");
      inside("iptables", "-A", "OUTPUT", "-p", "tcp", "-d", gateway, "-m", "multiport", "--dports", ports.toString(), "-j", "ACCEPT");
    }
    inside("iptables", "-A", "INPUT", "-j", "DROP");
    inside("iptables", "-A", "OUTPUT", "-j", "DROP");
  }

  /** Removes every rule {@link #cutOffExcept} added. */
  public void heal() {
    inside("iptables", "-F", "INPUT");
    inside("iptables", "-F", "OUTPUT");
  }

  private void inside(String... command) {
    List<String> full = new ArrayList<>(command());
    full.addAll(List.of(command));
    run(full.toArray(String[]::new));
  }

  @Override
  public void close() {
    removeQuietly(namespace, link);
  }

  /** Deleting the namespace also deletes its end of the veth pair, which takes the other end with it. */
  private static void removeQuietly(String namespace, String link) {
    exec(List.of("ip", "netns", "del", namespace));
    exec(List.of("ip", "link", "del", link));
  }

  private static boolean onPath(String tool) {
    return exec(List.of("sh", "-c", "command -v " + tool)).exit == 0;
  }

  private static void run(String... command) {
    Result result = exec(List.of(command));
    if (result.exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + result.exit + ": " + result.output);
    }
  }

  private record Result(int exit, String output) {
  }

  private static Result exec(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
