package space.mission.control;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import space.mission.runtime.health.MissionHealth;
import space.mission.runtime.http.ConnectionLimits;
import space.mission.runtime.http.HttpEdge;
import space.mission.runtime.http.HttpEdgeSettings;
import space.mission.runtime.metrics.MissionMetrics;

/**
 * Liveness, readiness and Prometheus metrics for a JVM that runs no status role (a monitor, alert
 * or backup cluster member): what a container's HEALTHCHECK and a scraper ask for. Same answers as
 * the status API gives on those paths.
 */
final class ManagementServer {

  private ManagementServer() {
  }

  static Future<HttpServer> start(Vertx vertx, String host, int port, HttpEdgeSettings edge) {
    // the server, its connection handlers and the edge's sweep all run on this one context
    Context context = vertx.getOrCreateContext();
    Promise<HttpServer> started = Promise.promise();
    context.runOnContext(v -> {
      HttpServer server = vertx.createHttpServer(HttpEdge.options(new HttpServerOptions().setHost(host).setPort(port)));
      HttpEdge.install(vertx, server, edge, new ConnectionLimits(edge.maxConnections(), edge.maxConnectionsPerClient()),
        request -> handle(vertx, request));
      server.listen().onComplete(started);
    });
    return started.future();
  }

  private static void handle(Vertx vertx, HttpServerRequest request) {
    switch (request.path()) {
      case "/health/live" -> json(request, 200, new JsonObject().put("status", "UP"));
      case "/health/ready" -> MissionHealth.check(vertx).onComplete(result -> {
        if (result.succeeded()) {
          json(request, result.result().getUp() ? 200 : 503, result.result().toJson());
        } else {
          json(request, 503, new JsonObject().put("status", "DOWN").put("error", String.valueOf(result.cause().getMessage())));
        }
      });
      case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(MissionMetrics.of(vertx).prometheus().scrape());
      default -> request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("type", "urn:mission-control:problem:not-found").put("title", "No such resource")
          .put("status", 404).put("detail", "the management server answers /health/live, /health/ready and /metrics").encode());
    }
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
