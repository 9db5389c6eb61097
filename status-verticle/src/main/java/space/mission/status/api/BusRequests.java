package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Asking another role over the event bus on behalf of a request: a bounded wait, and the reply's
 * body. A refusal or no answer fails the future with the {@link io.vertx.core.eventbus.ReplyException}
 * that {@link Problems} turns into the matching HTTP problem.
 */
final class BusRequests {

  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private BusRequests() {
  }

  static Future<JsonObject> ask(Vertx vertx, String address, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(address, request, ASK).map(reply -> reply.body());
  }
}
