package space.mission.status.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.web.RoutingContext;
import space.mission.runtime.health.MissionHealth;
import space.mission.status.StatusServices;
import space.mission.status.resources.LatestReadings;

/** Liveness, readiness, metrics and the OpenAPI document: what operators and probes ask for. */
final class OperationsHandlers {

  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");

  private final StatusServices services;

  OperationsHandlers(StatusServices services) {
    this.services = services;
  }

  /** Alive as long as this event loop answers; it never depends on the database. */
  void liveness(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /** Ready when every role in this process is: the database answers now, the monitor is sampling, ... */
  void readiness(RoutingContext ctx) {
    MissionHealth.check(services.vertx()).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      CheckResult checks = result.result();
      Responses.json(ctx, checks.getUp() ? 200 : 503, checks.toJson());
    });
  }

  /** The latest reading of every host the monitors report on. */
  void resources(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    services.readings().view(Requests.query(ctx, "host")).forEach(items::add);
    Responses.json(ctx, 200, Responses.page(items, null));
  }

  /** Each host's recent readings as compact series. */
  void resourceHistory(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    services.readings().history(Requests.query(ctx, "host")).forEach(items::add);
    Responses.json(ctx, 200, new JsonObject().put("columns", new JsonArray(LatestReadings.HISTORY_COLUMNS)).put("items", items));
  }

  void metrics(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end(services.metrics().prometheus().scrape());
  }

  void openApiDocument(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8").end(services.openApiDocument());
  }
}
