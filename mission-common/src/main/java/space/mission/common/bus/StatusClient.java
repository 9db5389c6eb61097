package space.mission.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What the status role answers over the bus ({@code mission.status.latest}, {@code mission.status.since}),
 * for a role that must catch up on status it did not hear. Failures: see {@link BusAsk}.
 */
public interface StatusClient {

  /** The newest status update of every subsystem of every mission. */
  Future<StatusUpdates> latest();

  /** The page of status updates recorded after {@code request.after()}, oldest first. */
  Future<StatusUpdates> since(StatusSince request);

  /** A client over {@code vertx}'s event bus, each request waiting at most {@code timeoutMillis}. */
  static StatusClient onBus(Vertx vertx, long timeoutMillis) {
    BusAsk bus = new BusAsk(vertx, timeoutMillis);
    return new StatusClient() {
      @Override
      public Future<StatusUpdates> latest() {
        return bus.ask(Addresses.STATUS_LATEST, Payloads.versioned()).map(StatusUpdates::fromJson);
      }

      @Override
      public Future<StatusUpdates> since(StatusSince request) {
        return bus.ask(Addresses.STATUS_SINCE, request.toJson()).map(StatusUpdates::fromJson);
      }
    };
  }
}
