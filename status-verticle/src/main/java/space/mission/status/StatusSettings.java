package space.mission.status;

import space.mission.common.bus.Level;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.http.HttpEdgeSettings;
import space.mission.status.stream.StreamSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Everything the status role reads from the configuration tree, validated once at start. */
public record StatusSettings(
  DatabaseSettings database,
  String httpHost,
  HttpEdgeSettings edge,
  int httpPort,
  int httpInstances,
  int maxBodyBytes,
  Duration requestTimeout,
  List<String> apiTokens,
  boolean readsRequireToken,
  int defaultExpectedReportSeconds,
  double staleTolerance,
  Level staleLevel,
  int maxWaiters,
  Duration reconcileInterval,
  int maxBatch,
  Duration batchDeadline,
  Duration resourcesRetention,
  Duration resourcesHistory,
  StreamSettings stream) {

  public static StatusSettings from(ConfigReader config) {
    List<String> tokens = config.strings("api.tokens");
    for (String token : tokens) {
      if (token.length() < 16 || !StandardCharsets.US_ASCII.newEncoder().canEncode(token) || token.contains(" ")) {
        throw new ConfigException("config api.tokens (MC_API_TOKENS): expected tokens of at least 16 printable ASCII characters, got one of "
          + token.length() + " characters");
      }
    }
    int instances = config.integer("status.http.instances", 0, 64);
    return new StatusSettings(
      DatabaseSettings.from(config),
      config.string("http.host"),
      HttpEdgeSettings.from(config),
      config.integer("http.port", 0, 65535),
      instances == 0 ? Runtime.getRuntime().availableProcessors() : instances,
      config.integer("status.http.maxBodyBytes", 1024, 16 * 1024 * 1024),
      config.duration("status.http.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
      tokens,
      config.bool("api.readsRequireToken"),
      config.integer("status.missions.defaultExpectedReportSeconds", 1, 31_536_000),
      config.number("status.rollup.staleTolerance", 1.0, 1000.0),
      config.enumValue("status.rollup.staleLevel", Level.class),
      config.integer("status.rollup.maxWaiters", 1, 1_000_000),
      config.duration("status.rollup.reconcileInterval", Duration.ofMillis(100), Duration.ofHours(24)),
      config.integer("status.writes.maxBatch", 1, 10_000),
      config.duration("status.writes.batchDeadline", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.duration("status.resources.retention", Duration.ofSeconds(10), Duration.ofDays(30)),
      config.duration("status.resources.history", Duration.ofMinutes(1), Duration.ofHours(1)),
      StreamSettings.from(config));
  }
}
