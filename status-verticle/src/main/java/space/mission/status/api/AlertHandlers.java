package space.mission.status.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import space.mission.common.bus.AlertQuery;
import space.mission.status.StatusServices;

/**
 * Alerts, silences and history: each request is asked of the alert role (its {@link space.mission.common.bus.AlertClient}
 * over {@code mission.alert.query}), and its answer (or refusal, mapped by {@link Problems}) is passed on.
 */
final class AlertHandlers {

  private static final int DEFAULT_LIMIT = 50;

  private final StatusServices services;

  AlertHandlers(StatusServices services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    services.alerts().activeAlerts().onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void acknowledge(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    services.alerts().acknowledge(new AlertQuery.Acknowledge(Requests.path(ctx, "fingerprint"), body.getString("by"), body.getString("comment")))
      .onSuccess(alert -> Responses.json(ctx, 200, alert)).onFailure(ctx::fail);
  }

  void rules(RoutingContext ctx) {
    services.alerts().rules().onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void silences(RoutingContext ctx) {
    services.alerts().silences().onSuccess(body -> Responses.json(ctx, 200, body)).onFailure(ctx::fail);
  }

  void createSilence(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    if (!body.containsKey("duration") && !body.containsKey("endsAt")) {
      throw ApiException.badRequest("give duration (such as PT2H) or endsAt");
    }
    services.alerts().createSilence(body).onSuccess(silence -> {
      ctx.response().putHeader("Location", "/api/v1/alerts/silences/" + silence.getString("id"));
      Responses.json(ctx, 201, silence);
    }).onFailure(ctx::fail);
  }

  void expireSilence(RoutingContext ctx) {
    services.alerts().expireSilence(new AlertQuery.ExpireSilence(Requests.path(ctx, "silenceId"), Requests.query(ctx, "by")))
      .onSuccess(silence -> Responses.json(ctx, 200, silence)).onFailure(ctx::fail);
  }

  void history(RoutingContext ctx) {
    Integer limit = Requests.queryInt(ctx, "limit");
    String cursor = Requests.query(ctx, "cursor");
    Long before = cursor == null ? null : Cursors.decode(cursor, Cursors.Kind.ALERT_HISTORY).value();
    services.alerts().history(new AlertQuery.History(limit == null ? DEFAULT_LIMIT : limit, Requests.query(ctx, "fingerprint"), before))
      .onSuccess(page -> {
      Long next = page.getLong("nextBefore");
      JsonArray items = page.getJsonArray("items");
      Responses.json(ctx, 200, Responses.page(items, next == null ? null : Cursors.encode(Cursors.Kind.ALERT_HISTORY, next)));
    }).onFailure(ctx::fail);
  }
}
