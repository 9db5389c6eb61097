package space.mission.aws;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.MariaDbEngineVersion;
import software.amazon.awscdk.services.rds.MariaDbInstanceEngineProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * What the roles keep: the database (RDS for MariaDB 10.11, the engine every test runs against),
 * the backup bucket, the alert topic and the log groups, all encrypted with one customer-managed key.
 * The database's credentials are generated into Secrets Manager; no template, env file or image holds them.
 */
public final class DataStack extends Stack {

  public static final String DATABASE_NAME = "mission";
  public static final String DATABASE_USER = "mission";
  public static final String APP_LOG_GROUP = "/mission-control/app";
  public static final String RESOURCES_LOG_GROUP = "/mission-control/resources";

  private final Key key;
  private final DatabaseInstance database;
  private final Bucket backups;
  private final Topic alerts;
  private final LogGroup appLogs;
  private final LogGroup resourceLogs;

  public DataStack(Construct scope, String id, StackProps props, NetworkStack network, Settings settings) {
    super(scope, id, props);
    key = Key.Builder.create(this, "DataKey").description("Mission Control: database, backups, alert topic")
      .enableKeyRotation(true).removalPolicy(RemovalPolicy.RETAIN).build();

    database = DatabaseInstance.Builder.create(this, "Database")
      .engine(DatabaseInstanceEngine.mariaDb(MariaDbInstanceEngineProps.builder().version(MariaDbEngineVersion.VER_10_11).build()))
      .instanceType(new InstanceType(settings.dbInstanceClass()))
      .vpc(network.vpc())
      .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
      .securityGroups(List.of(network.databaseGroup()))
      .port(NetworkStack.DATABASE_PORT)
      .multiAz(true)
      .storageEncrypted(true)
      .storageEncryptionKey(key)
      .allocatedStorage(settings.dbAllocatedStorageGiB())
      .maxAllocatedStorage(settings.dbAllocatedStorageGiB() * 4)
      .backupRetention(Duration.days(settings.backupRetentionDays()))
      .deletionProtection(true)
      .removalPolicy(RemovalPolicy.SNAPSHOT)
      .databaseName(DATABASE_NAME)
      .credentials(Credentials.fromGeneratedSecret(DATABASE_USER))
      .cloudwatchLogsExports(List.of("error", "slowquery", "audit"))
      .build();

    Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
      .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).enforceSsl(true).encryption(BucketEncryption.S3_MANAGED)
      .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
      .removalPolicy(RemovalPolicy.RETAIN).build();
    backups = Bucket.Builder.create(this, "Backups")
      .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
      .enforceSsl(true)
      .encryption(BucketEncryption.KMS)
      .encryptionKey(key)
      .bucketKeyEnabled(true)
      .versioned(true)
      .serverAccessLogsBucket(accessLogs)
      .serverAccessLogsPrefix("backups/")
      // the role keeps its own retention (MC_BACKUP_RETENTION_*); versions it deletes linger this long, then go
      .lifecycleRules(List.of(LifecycleRule.builder().id("old-versions").prefix(settings.backupPrefix())
        .noncurrentVersionExpiration(Duration.days(settings.backupRetentionDays()))
        .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
      .removalPolicy(RemovalPolicy.RETAIN)
      .build();

    // CloudWatch alarms publish to the topic, which is encrypted with this key: the service needs a data key from it
    key.addToResourcePolicy(new PolicyStatement(PolicyStatementProps.builder()
      .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
      .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
      .resources(List.of("*"))
      .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
      .build()));
    alerts = Topic.Builder.create(this, "Alerts").displayName("Mission Control alerts").masterKey(key).enforceSsl(true).build();
    if (!settings.alertEmail().isBlank()) {
      alerts.addSubscription(new EmailSubscription(settings.alertEmail()));
    }

    appLogs = LogGroup.Builder.create(this, "AppLogs").logGroupName(APP_LOG_GROUP)
      .retention(retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.RETAIN).build();
    resourceLogs = LogGroup.Builder.create(this, "ResourceLogs").logGroupName(RESOURCES_LOG_GROUP)
      .retention(retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.RETAIN).build();

    NagSuppressions.addResourceSuppressions(database, List.of(
      suppress("AwsSolutions-SMG4", "the password is read by the tasks at start (ECS secrets); rotation would need a "
        + "rolling restart of every role, which the service stack does not automate yet"),
      suppress("AwsSolutions-RDS11", "3306 is reachable only from the service security group; a non-default port adds "
        + "nothing the security group does not already give")), true);
    NagSuppressions.addResourceSuppressions(database, List.of(
      suppress("AwsSolutions-RDS6", "the roles use the reactive MySQL client with password authentication from Secrets "
        + "Manager; IAM database authentication tokens expire every 15 minutes and the client cannot refresh them")), true);
    NagSuppressions.addResourceSuppressions(accessLogs, List.of(
      suppress("AwsSolutions-S1", "this is the access-log bucket itself; logging it into itself would loop")), true);
  }

  static NagPackSuppression suppress(String id, String reason) {
    return NagPackSuppression.builder().id(id).reason(reason).build();
  }

  static RetentionDays retention(int days) {
    return switch (days) {
      case 7 -> RetentionDays.ONE_WEEK;
      case 14 -> RetentionDays.TWO_WEEKS;
      case 30 -> RetentionDays.ONE_MONTH;
      case 90 -> RetentionDays.THREE_MONTHS;
      case 180 -> RetentionDays.SIX_MONTHS;
      case 365 -> RetentionDays.ONE_YEAR;
      default -> throw new IllegalArgumentException("context mission:logRetentionDays: one of 7, 14, 30, 90, 180, 365, got " + days);
    };
  }

  public Key key() {
    return key;
  }

  public DatabaseInstance database() {
    return database;
  }

  public Bucket backups() {
    return backups;
  }

  public Topic alerts() {
    return alerts;
  }

  public LogGroup appLogs() {
    return appLogs;
  }

  public LogGroup resourceLogs() {
    return resourceLogs;
  }
}
