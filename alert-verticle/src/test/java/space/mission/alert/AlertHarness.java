package space.mission.alert;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.AlertQuery;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.TestConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Deploys the alert role as the launcher does (real config loader), with the rules a test writes, and watches its events. */
public final class AlertHarness {

  public final Vertx vertx;
  public final List<AlertEvent> events = new CopyOnWriteArrayList<>();
  private final DatabaseUrl database;
  private final Path rules;
  private final Map<String, String> env;
  private String deployment;
  private SingletonLease.Fence fence;

  public AlertHarness(Vertx vertx, DatabaseUrl database, Path directory, String rulesYaml, Map<String, String> env) throws IOException {
    this.vertx = vertx;
    this.database = database;
    this.rules = directory.resolve("rules.yaml");
    Files.writeString(rules, rulesYaml);
    this.env = new HashMap<>(env);
    this.env.putIfAbsent("MC_DATA_DIR", directory.resolve("data").toString());
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERT_EVENT, message -> events.add(AlertEvent.fromJson(message.body()))).completion().await();
  }

  /** Publishes a reading from {@code host} whose one disk, {@code /data}, is {@code diskPercent} full. */
  public static void publishDiskReading(Vertx vertx, String host, double diskPercent) {
    vertx.eventBus().publish(Addresses.MONITOR_READING, new ResourceReading(host, "i-1", Instant.now(),
      new ResourceReading.Cpu(5, List.of(5.0)), null, new ResourceReading.Memory(1, 10), new ResourceReading.Memory(0, 0),
      List.of(new ResourceReading.Disk("/data", "ext4", (long) (diskPercent * 10), 1000, 1, 10)), List.of(), 10, 100, 5).toJson());
  }

  public AlertHarness deploy(Clock clock) {
    Map<String, String> all = new HashMap<>(env);
    all.put("MC_DB_URL", database.url());
    all.put("MC_ALERT_RULES_FILE", rules.toString());
    all.putIfAbsent("MC_ALERT_GROUP_WAIT", "0s");
    all.putIfAbsent("MC_ALERT_TICK", "200ms");
    all.putIfAbsent("MC_ALERT_OUTBOX_POLL_INTERVAL", "200ms");
    all.putIfAbsent("MC_ALERT_TAIL_POLL_INTERVAL", "300ms");
    all.putIfAbsent("MC_ALERT_TAIL_LOCAL_POLL_INTERVAL", "200ms");
    JsonObject config = TestConfig.load(vertx, List.of(AlertVerticle.ROLE), all);
    if (fence != null) {
      config.put(SingletonLease.FENCE_CONFIG, fence.toJson());
    }
    deployment = vertx.deployVerticle(new AlertVerticle(clock), new DeploymentOptions().setConfig(config)).await();
    return this;
  }

  /** Deploys the role as the holder of {@code fence}, as the singleton runner does. */
  public AlertHarness deploy(SingletonLease.Fence fence) {
    this.fence = fence;
    return deploy(Clock.systemUTC());
  }

  public AlertHarness deploy() {
    return deploy(Clock.systemUTC());
  }

  public void undeploy() {
    vertx.undeploy(deployment).await();
  }

  /** Asks the alert role over the bus, as the status API does. */
  public JsonObject query(AlertQuery.Action action, JsonObject arguments) {
    return vertx.eventBus().<JsonObject>request(Addresses.ALERT_QUERY, new AlertQuery(action, arguments).toJson()).await().body();
  }

  /** The failure code a refused query gets. */
  public int refusal(AlertQuery.Action action, JsonObject arguments) {
    try {
      query(action, arguments);
      throw new AssertionError("the query was not refused");
    } catch (ReplyException e) {
      return e.failureCode();
    }
  }

}
