package space.mission.alert;

import io.vertx.core.json.JsonObject;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;
import space.mission.runtime.db.DatabaseSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything the alert role reads from the configuration tree, validated once at start (the rules by {@link space.mission.alert.rules.RuleParser}). */
public record AlertSettings(
  DatabaseSettings database,
  AwsSettings aws,
  Optional<String> topicArn,
  Path dataDir,
  Duration groupWait,
  Duration repeatInterval,
  String publicUrl,
  Duration tick,
  int outboxMaxPending,
  Duration outboxPollInterval,
  Duration tailPollInterval,
  Duration tailLookback,
  Duration localTailPollInterval,
  Duration heartbeatInterval,
  JsonObject rules,
  Optional<Path> rulesFile) {

  public static AlertSettings from(ConfigReader config) {
    AwsSettings aws = AwsSettings.from(config);
    Optional<String> topicArn = config.optionalString("sns.topicArn");
    if (aws.enabled() && topicArn.isEmpty()) {
      throw new ConfigException("config sns.topicArn (" + EnvOverrides.envName("sns.topicArn")
        + "): expected the SNS topic ARN alerts go to in AWS mode, got nothing");
    }
    return new AlertSettings(
      DatabaseSettings.from(config),
      aws,
      topicArn,
      Path.of(config.string("data.dir")),
      config.duration("alert.groupWait", Duration.ZERO, Duration.ofHours(1)),
      config.duration("alert.repeatInterval", Duration.ofSeconds(1), Duration.ofDays(30)),
      config.string("alert.publicUrl"),
      config.duration("alert.tick", Duration.ofMillis(50), Duration.ofMinutes(1)),
      config.integer("alert.outbox.maxPending", 10, 10_000_000),
      config.duration("alert.outbox.pollInterval", Duration.ofMillis(50), Duration.ofMinutes(10)),
      config.duration("alert.tail.pollInterval", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.duration("alert.tail.lookback", Duration.ZERO, Duration.ofDays(1)),
      config.duration("alert.tail.localPollInterval", Duration.ofMillis(50), Duration.ofMinutes(10)),
      config.duration("alert.heartbeatInterval", Duration.ofSeconds(1), Duration.ofHours(1)),
      config.object("alert.rules"),
      config.optionalString("alert.rules.file").map(Path::of));
  }
}
