package space.mission.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import space.mission.common.config.ConfigException;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code java -jar mission-control.jar [--roles status,monitor] [--cluster]}: see {@code --help}. */
@Command(name = "mission-control",
  description = {
    "Interstellar Mission Control: the mission status API, resource monitor, alert system and backups.",
    "Without options, every role runs in this JVM; without MC_DB_URL, on an embedded MariaDB kept in the data directory.",
    "Configuration comes from MC_* environment variables (see the README); flags win over them."},
  sortOptions = false,
  usageHelpAutoWidth = true,
  footer = {"", "Restore a backup: java -jar mission-control.jar restore --backup <id> [--target-db <url>] [--force] (see restore --help)."})
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--roles", split = ",", paramLabel = "ROLE",
    description = "Roles to run, comma-separated: ${sys:mission.roles}. Default: all (or MC_ROLES).")
  List<String> roles;

  @Option(names = "--cluster", description = "Join the Hazelcast cluster (members from MC_CLUSTER_MEMBERS) and share the event bus.")
  boolean cluster;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  public static void main(String[] args) {
    System.setProperty("mission.roles", String.join(", ", Role.ids()));
    int exit = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
      .addSubcommand(new RestoreCommand(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)))
      .execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() {
    MissionControl running;
    try {
      running = MissionControl.start(new MissionControl.Options(roles, cluster ? Boolean.TRUE : null), System.getenv());
    } catch (ConfigException e) {
      System.err.println("mission-control: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      LOG.error("Mission Control failed to start: {}", e.getMessage(), e);
      System.err.println("mission-control: failed to start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "mission-control-shutdown"));
    return 0;
  }
}
