package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertQuery;
import space.mission.status.StatusServices;

/**
 * Alerts, silences and history: each request is asked of the alert role over
 * {@code mission.alert.query}, and its answer (or refusal, mapped by {@link Problems}) is passed on.
 */
final class AlertHandlers {

  private static final int DEFAULT_LIMIT = 50;

  private final StatusServices services;

  AlertHandlers(StatusServices services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    ask(AlertQuery.Action.LIST_ALERTS, new JsonObject()).onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void acknowledge(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    ask(AlertQuery.Action.ACKNOWLEDGE, new JsonObject().put("fingerprint", Requests.path(ctx, "fingerprint"))
      .put("by", body.getString("by")).put("comment", body.getString("comment")))
      .onSuccess(alert -> Responses.json(ctx, 200, alert)).onFailure(ctx::fail);
  }

  void rules(RoutingContext ctx) {
    ask(AlertQuery.Action.LIST_RULES, new JsonObject()).onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void silences(RoutingContext ctx) {
    ask(AlertQuery.Action.LIST_SILENCES, new JsonObject()).onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void createSilence(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    if (!body.containsKey("duration") && !body.containsKey("endsAt")) {
      throw ApiException.badRequest("give duration (such as PT2H) or endsAt");
    }
    ask(AlertQuery.Action.CREATE_SILENCE, body).onSuccess(silence -> {
      ctx.response().putHeader("Location", "/api/v1/alerts/silences/" + silence.getString("id"));
      Responses.json(ctx, 201, silence);
    }).onFailure(ctx::fail);
  }

  void expireSilence(RoutingContext ctx) {
    ask(AlertQuery.Action.EXPIRE_SILENCE, new JsonObject().put("id", Requests.path(ctx, "silenceId")).put("by", Requests.query(ctx, "by")))
      .onSuccess(silence -> Responses.json(ctx, 200, silence)).onFailure(ctx::fail);
  }

  void history(RoutingContext ctx) {
    Integer limit = Requests.queryInt(ctx, "limit");
    String cursor = Requests.query(ctx, "cursor");
    JsonObject arguments = new JsonObject().put("limit", limit == null ? DEFAULT_LIMIT : limit)
      .put("fingerprint", Requests.query(ctx, "fingerprint"));
    if (cursor != null) {
      arguments.put("before", Cursors.decode(cursor, Cursors.Kind.ALERT_HISTORY).value());
    }
    ask(AlertQuery.Action.HISTORY, arguments).onSuccess(page -> {
      Long before = page.getLong("nextBefore");
      JsonArray items = page.getJsonArray("items");
      Responses.json(ctx, 200, Responses.page(items, before == null ? null : Cursors.encode(Cursors.Kind.ALERT_HISTORY, before)));
    }).onFailure(ctx::fail);
  }

  private Future<JsonObject> ask(AlertQuery.Action action, JsonObject arguments) {
    return BusRequests.ask(services.vertx(), Addresses.ALERT_QUERY, new AlertQuery(action, arguments).toJson());
  }
}
