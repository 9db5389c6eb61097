package space.mission.status.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers. */
final class Responses {

  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.toBuffer());
  }

  static JsonObject page(JsonArray items, String nextCursor) {
    return new JsonObject().put("items", items).put("nextCursor", nextCursor);
  }
}
