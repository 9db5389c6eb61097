package space.mission.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import space.mission.runtime.aws.AwsSettings;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything the backup role (and the restore command) reads from the configuration tree, validated once. */
public record BackupSettings(
  DatabaseSettings database,
  AwsSettings aws,
  Path dataDir,
  Optional<Cron> schedule,
  Optional<String> bucket,
  String prefix,
  Optional<String> serverSideEncryption,
  Optional<String> kmsKeyId,
  int pageRows,
  int partBytes,
  int compressionLevel,
  boolean verify,
  Optional<String> verifySchema,
  int keepLast,
  Duration keepFor) {

  /** S3's smallest part but the last. */
  public static final int MIN_PART_BYTES = 5 * 1024 * 1024;

  private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  public static BackupSettings from(ConfigReader config) {
    AwsSettings aws = AwsSettings.from(config);
    Optional<String> bucket = config.optionalString("backup.bucket");
    if (aws.enabled() && bucket.isEmpty()) {
      throw ConfigException.forKey("backup.bucket", "the S3 bucket backups go to in AWS mode", null);
    }
    Optional<String> sse = config.optionalString("backup.s3.serverSideEncryption");
    if (sse.isPresent() && !sse.get().equals("AES256") && !sse.get().equals("aws:kms")) {
      throw ConfigException.forKey("backup.s3.serverSideEncryption", "AES256 or aws:kms", sse.get());
    }
    String prefix = config.string("backup.prefix");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new BackupSettings(
      DatabaseSettings.from(config),
      aws,
      Path.of(config.string("data.dir")),
      schedule(config),
      bucket,
      prefix.startsWith("/") ? prefix.substring(1) : prefix,
      sse,
      config.optionalString("backup.s3.kmsKeyId"),
      config.integer("backup.pageRows", 10, 100_000),
      config.integer("backup.partBytes", MIN_PART_BYTES, 512 * 1024 * 1024),
      config.integer("backup.compressionLevel", 1, 9),
      config.bool("backup.verify.enabled"),
      config.optionalString("backup.verify.schema"),
      config.integer("backup.retention.keepLast", 1, 100_000),
      config.duration("backup.retention.keepFor", Duration.ZERO, Duration.ofDays(36_500)));
  }

  private static Optional<Cron> schedule(ConfigReader config) {
    Optional<String> text = config.optionalString("backup.schedule");
    if (text.isEmpty() || text.get().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    try {
      return Optional.of(CRON.parse(text.get()).validate());
    } catch (IllegalArgumentException e) {
      throw ConfigException.forKey("backup.schedule", "a cron expression (minute hour day-of-month month day-of-week, such as \"0 */6 * * *\") "
        + "or off (" + e.getMessage() + ")", text.get());
    }
  }

  /** Where backups are kept, for messages: s3://bucket/prefix or the local directory. */
  public String location() {
    return bucket.map(name -> "s3://" + name + "/" + prefix).orElse(dataDir.resolve("backups").toString());
  }
}
