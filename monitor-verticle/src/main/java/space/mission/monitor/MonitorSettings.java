package space.mission.monitor;

import space.mission.runtime.aws.AwsSettings;
import space.mission.common.config.ConfigReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the monitor role reads from the configuration tree, validated once at start. */
public record MonitorSettings(
  Duration interval,
  Optional<String> host,
  Optional<String> instance,
  List<String> excludedFilesystemTypes,
  boolean includeLoopback,
  Path dataDir,
  long localLogMaxFileBytes,
  int localLogKeepFiles,
  Duration flushInterval,
  String logGroup,
  long spoolMaxBytes,
  AwsSettings aws) {

  public static MonitorSettings from(ConfigReader config) {
    return new MonitorSettings(
      config.duration("monitor.interval", Duration.ofSeconds(1), Duration.ofHours(1)),
      config.optionalString("monitor.host"),
      config.optionalString("monitor.instance").map(MonitorSettings::checkInstance),
      config.strings("monitor.filesystems.excludeTypes"),
      config.bool("monitor.network.includeLoopback"),
      Path.of(config.string("data.dir")),
      config.longInteger("monitor.logs.maxFileBytes", 4096, 1L << 40),
      config.integer("monitor.logs.keepFiles", 1, 1000),
      config.duration("monitor.logs.flushInterval", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.string("log.group"),
      config.longInteger("spool.maxBytes", 4096, 1L << 40),
      AwsSettings.from(config));
  }

  private static String checkInstance(String instance) {
    if (!instance.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new space.mission.common.config.ConfigException("config monitor.instance (MC_MONITOR_INSTANCE): expected up to 64 letters, digits, '.', '_' or '-', got \"" + instance + "\"");
    }
    return instance;
  }
}
