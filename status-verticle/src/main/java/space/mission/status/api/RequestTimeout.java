package space.mission.status.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.TimeoutHandler;

/** Answers 503 for a request that takes longer than the configured timeout; long-polls of the rollup are held on purpose and exempt. */
final class RequestTimeout implements PlatformHandler {

  private final TimeoutHandler timeout;

  RequestTimeout(long millis) {
    this.timeout = TimeoutHandler.create(millis, 503);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().path().endsWith("/status") && ctx.request().getParam("wait") != null) {
      ctx.next();
    } else {
      timeout.handle(ctx);
    }
  }
}
