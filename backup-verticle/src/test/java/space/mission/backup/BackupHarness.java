package space.mission.backup;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import space.mission.backup.restore.Restorer;
import space.mission.backup.store.BackupStore;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupQuery;
import space.mission.common.bus.BackupRequest;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Await;
import space.mission.testkit.CloudWatchStandIn;
import space.mission.testkit.S3ProxyServer;
import space.mission.testkit.TestConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Deploys the backup role as the launcher does (real config loader), watches its events, and asks it things over the bus. */
public final class BackupHarness {

  public final Vertx vertx;
  public final List<BackupEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private String deployment;

  public BackupHarness(Vertx vertx, DatabaseUrl database, Path dataDir, Map<String, String> env) {
    this.vertx = vertx;
    this.env.putAll(env);
    this.env.put("MC_DB_URL", database.url());
    this.env.putIfAbsent("MC_DATA_DIR", dataDir.toString());
    this.env.putIfAbsent("MC_BACKUP_SCHEDULE", "off");
    vertx.eventBus().<JsonObject>consumer(Addresses.BACKUP_EVENT, message -> events.add(BackupEvent.fromJson(message.body())))
      .completion().await();
  }

  /**
   * AWS mode with S3 at S3Proxy and every other AWS service (CloudWatch, for the metrics) at the
   * testkit's stand-in: nothing leaves the machine.
   */
  public static Map<String, String> aws(S3ProxyServer s3, String bucket, CloudWatchStandIn cloudWatch) {
    return Map.of("MC_AWS_REGION", S3ProxyServer.REGION, "MC_AWS_ENDPOINT", cloudWatch.endpoint().toString(),
      "MC_AWS_ENDPOINTS_S3", s3.endpoint().toString(), "MC_BACKUP_BUCKET", bucket,
      "MC_BACKUP_PART_BYTES", String.valueOf(BackupSettings.MIN_PART_BYTES), "MC_METRICS_CLOUDWATCH_STEP", "1s");
  }

  public JsonObject config() {
    return TestConfig.load(vertx, List.of(BackupVerticle.ROLE), env);
  }

  public BackupSettings settings() {
    return BackupSettings.from(new ConfigReader(config()));
  }

  public BackupHarness deploy(Clock clock) {
    deployment = vertx.deployVerticle(new BackupVerticle(clock), new DeploymentOptions().setConfig(config())).await();
    return this;
  }

  public BackupHarness deploy() {
    return deploy(Clock.systemUTC());
  }

  public void undeploy() {
    vertx.undeploy(deployment).await();
  }

  /** The store the role writes to, opened the way the role opens it. */
  public BackupStore store() {
    return BackupStore.open(vertx, settings());
  }

  public Restorer restorer(BackupStore store) {
    return new Restorer(vertx, store, 1000);
  }

  public BackupAccepted request(String by) {
    return BackupAccepted.fromJson(vertx.eventBus().<JsonObject>request(Addresses.BACKUP_REQUEST, new BackupRequest(by, "test").toJson())
      .await().body());
  }

  public JsonObject query(BackupQuery.Action action, JsonObject arguments) {
    return vertx.eventBus().<JsonObject>request(Addresses.BACKUP_QUERY, new BackupQuery(action, arguments).toJson()).await().body();
  }

  public int refusal(BackupQuery.Action action, JsonObject arguments) {
    try {
      query(action, arguments);
      throw new AssertionError("the query was not refused");
    } catch (ReplyException e) {
      return e.failureCode();
    }
  }

  /** Requests a backup and waits for its SUCCEEDED or FAILED event. */
  public BackupEvent backup(Duration timeout) {
    return awaitFinished(request("test").backupId(), timeout);
  }

  public BackupEvent awaitFinished(String id, Duration timeout) {
    return Await.value(timeout, Duration.ofMillis(50), () -> finished(id), Optional::isPresent)
      .orElseThrow(() -> new AssertionError("backup " + id + " did not finish within " + timeout + "; events: " + events));
  }

  private Optional<BackupEvent> finished(String id) {
    return events.stream().filter(event -> event.backupId().equals(id) && event.type() != BackupEvent.Type.STARTED).findFirst();
  }
}
