package space.mission.status.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

/**
 * Answers 503 for a request that takes longer than the configured timeout; long-polls of the rollup
 * and the live feed's streams are held open on purpose and exempt.
 */
final class RequestTimeout implements PlatformHandler {

  private static final String STREAM_PATH = "/api/v1/stream";

  private final TimeoutHandler timeout;

  RequestTimeout(long millis) {
    this.timeout = TimeoutHandler.create(millis, 503);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.endsWith("/status") && ctx.request().getParam("wait") != null || path.equals(STREAM_PATH)) {
      ctx.next();
    } else {
      timeout.handle(ctx);
    }
  }
}
