package space.mission.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What the alert role answers over {@code mission.alert.query}: the replies are the JSON the API
 * passes on; failures: see {@link BusAsk}.
 */
public interface AlertClient {

  /** Active alerts (pending and firing), most severe first, each with the silences that cover it. */
  Future<JsonObject> activeAlerts();

  /** Acknowledges a firing alert: the alert as it now is. */
  Future<JsonObject> acknowledge(AlertQuery.Acknowledge request);

  /** A page of history: {@code items} and {@code nextBefore}. */
  Future<JsonObject> history(AlertQuery.History request);

  Future<JsonObject> silences();

  /** Creates a silence from the API's body: the silence as stored. */
  Future<JsonObject> createSilence(JsonObject silence);

  Future<JsonObject> expireSilence(AlertQuery.ExpireSilence request);

  /** The rules loaded, with their state. */
  Future<JsonObject> rules();

  /** A client over {@code vertx}'s event bus, each request waiting at most {@code timeoutMillis}. */
  static AlertClient onBus(Vertx vertx, long timeoutMillis) {
    BusAsk bus = new BusAsk(vertx, timeoutMillis);
    return new AlertClient() {
      @Override
      public Future<JsonObject> activeAlerts() {
        return ask(AlertQuery.listAlerts());
      }

      @Override
      public Future<JsonObject> acknowledge(AlertQuery.Acknowledge request) {
        return ask(AlertQuery.acknowledge(request));
      }

      @Override
      public Future<JsonObject> history(AlertQuery.History request) {
        return ask(AlertQuery.history(request));
      }

      @Override
      public Future<JsonObject> silences() {
        return ask(AlertQuery.listSilences());
      }

      @Override
      public Future<JsonObject> createSilence(JsonObject silence) {
        return ask(AlertQuery.createSilence(silence));
      }

      @Override
      public Future<JsonObject> expireSilence(AlertQuery.ExpireSilence request) {
        return ask(AlertQuery.expireSilence(request));
      }

      @Override
      public Future<JsonObject> rules() {
        return ask(AlertQuery.listRules());
      }

      private Future<JsonObject> ask(AlertQuery query) {
        return bus.ask(Addresses.ALERT_QUERY, query.toJson());
      }
    };
  }
}
