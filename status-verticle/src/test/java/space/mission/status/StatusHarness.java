package space.mission.status;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.TestConfig;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Deploys a status role the way the launcher does (real config loader and defaults) against a test schema. */
public final class StatusHarness {

  public final Vertx vertx;
  public final StatusVerticle verticle;
  public final StatusApi api;
  public final String deploymentId;

  private StatusHarness(Vertx vertx, StatusVerticle verticle, String deploymentId) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.api = new StatusApi(vertx, verticle.port());
  }

  public static StatusHarness start(Vertx vertx, DatabaseUrl database, Clock clock, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("MC_DB_URL", database.url());
    all.putIfAbsent("MC_API_TOKENS", StatusApi.TOKEN);
    all.putIfAbsent("MC_STATUS_HTTP_INSTANCES", "2");
    all.putIfAbsent("MC_DB_PROBE_INTERVAL", "250ms");
    JsonObject config = TestConfig.load(vertx, List.of(StatusVerticle.ROLE), all);
    StatusVerticle verticle = new StatusVerticle(clock);
    String id = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    return new StatusHarness(vertx, verticle, id);
  }

  public static StatusHarness start(Vertx vertx, DatabaseUrl database) {
    return start(vertx, database, Clock.systemUTC(), Map.of());
  }

  public void stop() {
    api.close();
    vertx.undeploy(deploymentId).await();
  }
}
