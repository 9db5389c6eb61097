package space.mission.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * One request over the bus with a bounded wait, answering the reply's body. A refusal or no answer
 * fails the future with the {@link io.vertx.core.eventbus.ReplyException} (its code a
 * {@link BusFailure} code, or the bus's own for a timeout or no handler), which callers map.
 */
final class BusAsk {

  private final Vertx vertx;
  private final DeliveryOptions options;

  BusAsk(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  Future<JsonObject> ask(String address, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(address, request, options).map(reply -> reply.body());
  }
}
