package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import space.mission.runtime.http.HttpEdge;
import space.mission.status.StatusServices;
import space.mission.status.rollup.RollupWatchers;
import space.mission.status.stream.StreamGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's HTTP server for the status API. Several instances share the port; each has its
 * own router and its own long-poll watchers, and all share {@link StatusServices}.
 */
public final class ApiVerticle extends VerticleBase {

  private final StatusServices services;
  private final int port;
  private HttpServer server;
  private Router router;
  private StreamGroup streams;
  private HttpEdge edge;

  public ApiVerticle(StatusServices services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    RollupWatchers watchers = new RollupWatchers(services.heldPolls(), services.settings().maxWaiters());
    // the cache notifies on its own context; watchers live on this one
    services.rollups().onChange(missionId -> context.runOnContext(v -> watchers.changed(missionId)));
    server = vertx.createHttpServer(HttpEdge.options(new HttpServerOptions())
      .setHost(services.settings().httpHost())
      .setPort(port)
      .setTcpNoDelay(true)
      .setCompressionSupported(true)
      .setCompressionLevel(1)
      .setDecompressionSupported(false));
    streams = new StreamGroup(vertx, services.feed());
    router = ApiRouter.create(services, watchers, streams);
    edge = HttpEdge.install(vertx, server, services.settings().edge(), services.connections(), router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    if (streams != null) {
      streams.close();
    }
    if (edge != null) {
      edge.close();
    }
    return Future.succeededFuture();
  }

  /** The API's routes this server answers: "METHOD /path" for each operation (the dashboard's static files are not among them). */
  public List<String> routes() {
    List<String> routes = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null && !Dashboard.serves(route.getPath())) {
        route.methods().forEach(method -> routes.add(method.name() + " " + route.getPath()));
      }
    }
    return routes;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
