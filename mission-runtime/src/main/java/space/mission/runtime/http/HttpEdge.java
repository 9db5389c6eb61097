package space.mission.runtime.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every HTTP server of ours does before its application sees a request: problem+json for the
 * errors the HTTP layer raises itself, deadlines for slow and idle clients, and the connection caps.
 *
 * <p>One per server instance, used on that server's event loop only. Deadlines are checked by one
 * periodic sweep over this server's connections rather than a timer per connection, so a request
 * costs a map lookup and nothing more.
 *
 * <p>Idle means no request in progress. Vert.x's own {@code idleTimeout} counts bytes on the wire,
 * so it would cut a long-poll that waits up to 60 s in silence unless it were set above the longest
 * wait; counting requests instead leaves held long-polls and open feeds alone whatever the timeout,
 * and closes keep-alive connections between requests. A request's head must arrive within the
 * header deadline of the connection opening (a client dripping header bytes is cut then, whatever
 * it sends); its body within the body deadline of its head (408 problem).
 */
public final class HttpEdge {

  /** The largest request line and header block accepted (Vert.x's defaults, named here so problems can quote them). */
  public static final int MAX_INITIAL_LINE = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;
  public static final int MAX_HEADER_SIZE = HttpServerOptions.DEFAULT_MAX_HEADER_SIZE;

  private record InFlight(HttpServerRequest request, long arrivedNanos) {
  }

  private static final class Tracked {
    final String client;
    final long openedNanos;
    final boolean counted;
    final ConnectionLimits.Refusal refusal;
    /**
     * The request being served, if any. HTTP/1.x serves one request of a connection at a time
     * (Vert.x holds a pipelined one back until the response before it has ended), so one field is
     * enough, and a request costs no allocation beyond it: a list kept until the next sweep grew by
     * every request served in between and halved the rollup's throughput. (HTTP/2, where several
     * streams run at once, is not served: h2c is off and the API has no TLS listener.)
     */
    InFlight current;
    boolean servedAny;
    long idleSinceNanos;

    Tracked(String client, long openedNanos, ConnectionLimits.Refusal refusal) {
      this.client = client;
      this.openedNanos = openedNanos;
      this.refusal = refusal;
      this.counted = refusal == ConnectionLimits.Refusal.NONE;
    }
  }

  private final Vertx vertx;
  private final HttpEdgeSettings settings;
  private final ConnectionLimits limits;
  private final Map<HttpConnection, Tracked> connections = new HashMap<>();
  private final long idleNanos;
  private final long headerNanos;
  private final long bodyNanos;
  private long sweeper = -1;

  private HttpEdge(Vertx vertx, HttpEdgeSettings settings, ConnectionLimits limits) {
    this.vertx = vertx;
    this.settings = settings;
    this.limits = limits;
    this.idleNanos = settings.idleTimeout().toNanos();
    this.headerNanos = settings.headerTimeout().toNanos();
    this.bodyNanos = settings.bodyTimeout().toNanos();
  }

  /**
   * The server options the edge needs. Cleartext HTTP/2 (h2c) is turned off: with it on, Vert.x
   * waits for a connection's whole first request head (to look for {@code Upgrade: h2c}) before it
   * tells the connection handler about the connection, so a client that never finishes its head
   * would never meet the header deadline. Nothing of ours speaks h2c; HTTP/2 over TLS is unaffected.
   */
  public static HttpServerOptions options(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false);
  }

  /**
   * Puts the edge in front of {@code application} on {@code server} (not yet listening, created with
   * {@link #options}). Call on the
   * context the server will listen on; {@link #close()} stops the sweep.
   */
  public static HttpEdge install(Vertx vertx, HttpServer server, HttpEdgeSettings settings, ConnectionLimits limits,
                                 Handler<HttpServerRequest> application) {
    HttpEdge edge = new HttpEdge(vertx, settings, limits);
    server.invalidRequestHandler(new InvalidRequests(MAX_INITIAL_LINE, MAX_HEADER_SIZE));
    server.connectionHandler(edge::opened);
    server.requestHandler(request -> edge.request(request, application));
    long shortest = Math.min(settings.idleTimeout().toMillis(), Math.min(settings.headerTimeout().toMillis(), settings.bodyTimeout().toMillis()));
    // a deadline is met at most a quarter of itself late, and the sweep runs at least once a second
    edge.sweeper = vertx.setPeriodic(Math.max(25, Math.min(1000, shortest / 4)), id -> edge.sweep());
    return edge;
  }

  public void close() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
  }

  private void opened(HttpConnection connection) {
    VersionCheck.addTo(connection);
    String client = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    Tracked tracked = new Tracked(client, System.nanoTime(), limits.tryAcquire(client));
    connections.put(connection, tracked);
    connection.closeHandler(v -> {
      Tracked gone = connections.remove(connection);
      if (gone != null && gone.counted) {
        limits.release(gone.client);
      }
    });
  }

  private void request(HttpServerRequest request, Handler<HttpServerRequest> application) {
    Tracked tracked = connections.get(request.connection());
    if (tracked != null && tracked.refusal != ConnectionLimits.Refusal.NONE) {
      // the connection was over a cap when it opened: it is answered and closed, never served
      HttpProblem.sendAndClose(request, 503, "too-many-connections", "Too many connections",
        tracked.refusal == ConnectionLimits.Refusal.CLIENT
          ? "this client address already holds " + limits.perClient() + " connections, as many as one may; reuse one or retry shortly"
          : "this server already holds " + limits.max() + " connections, as many as it may; retry shortly", "1");
      return;
    }
    if (tracked != null) {
      tracked.servedAny = true;
      tracked.current = new InFlight(request, System.nanoTime());
    }
    application.handle(request);
  }

  private void sweep() {
    long now = System.nanoTime();
    List<HttpConnection> idle = new ArrayList<>();
    for (Map.Entry<HttpConnection, Tracked> entry : connections.entrySet()) {
      Tracked tracked = entry.getValue();
      InFlight current = tracked.current;
      if (current != null) {
        if (current.request().response().ended() || current.request().response().closed()) {
          // idle from this sweep on: at most one sweep period later than the response's end
          tracked.current = null;
          tracked.idleSinceNanos = now;
        } else if (!current.request().isEnded() && now - current.arrivedNanos() > bodyNanos) {
          tracked.current = null;
          bodyTooSlow(current.request());
        }
      }
      if (tracked.current != null) {
        continue;
      }
      if (!tracked.servedAny ? now - tracked.openedNanos > headerNanos : now - tracked.idleSinceNanos > idleNanos) {
        idle.add(entry.getKey());
      }
    }
    // closed outside the loop: a close handler may run at once and change the map
    idle.forEach(HttpEdge::closeNow);
  }

  /**
   * Closes the socket itself. {@link HttpConnection#close()} is a graceful shutdown, and a
   * connection in the middle of a request head that never completes was seen to stay open after
   * it; the channel is reached through Vert.x's server-connection interface when there is one.
   */
  private static void closeNow(HttpConnection connection) {
    if (connection instanceof HttpServerConnection server) {
      server.channelHandlerContext().channel().close();
    } else {
      connection.close();
    }
  }

  private void bodyTooSlow(HttpServerRequest request) {
    if (request.response().headWritten()) {
      request.connection().close();
      return;
    }
    HttpProblem.sendAndClose(request, 408, "request-timeout", "The request body came too slowly",
      "a request's body must arrive within " + settings.bodyTimeout().toMillis() + " ms of its headers", null);
  }

  /** Open connections this server instance tracks (for tests and metrics). */
  public int tracked() {
    return connections.size();
  }
}
