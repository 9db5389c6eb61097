package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;
import space.mission.status.StatusServices;
import space.mission.status.db.NewUpdate;
import space.mission.status.db.UpdateWriter.Written;

import java.util.Objects;
import java.util.Optional;

import static space.mission.status.rollup.RollupRenderer.withoutVersion;

/** Status updates: record, read one, list history. */
final class UpdateHandlers {

  private static final int DEFAULT_LIMIT = 50;

  private final StatusServices services;

  UpdateHandlers(StatusServices services) {
    this.services = services;
  }

  void record(RoutingContext ctx) {
    String missionId = Requests.path(ctx, "missionId");
    JsonObject body = Requests.body(ctx);
    NewUpdate update = new NewUpdate(missionId,
      body.getString("subsystem"),
      Level.valueOf(body.getString("level")),
      body.getString("message"),
      body.getJsonObject("telemetry"),
      Requests.timestamp(body, "reportedAt"),
      Requests.header(ctx, "Idempotency-Key"));
    requireMission(missionId)
      .compose(ok -> update.idempotencyKey() == null
        ? Future.succeededFuture(Optional.<StatusUpdate>empty())
        : services.updates().findByIdempotencyKey(missionId, update.idempotencyKey()))
      .compose(earlier -> earlier.isPresent()
        ? Future.succeededFuture(new Written(earlier.get(), true))
        : services.writer().write(update))
      .onSuccess(written -> {
        StatusUpdate stored = written.update();
        if (written.replayed() && !sameRequest(stored, update)) {
          ctx.fail(new ApiException(422, "idempotency-key-reused", "Idempotency-Key reused",
            "Idempotency-Key " + update.idempotencyKey() + " was first used for a different update (" + stored.id() + ")"));
          return;
        }
        ctx.response().putHeader("Location", location(stored));
        Responses.json(ctx, written.replayed() ? 200 : 201, view(stored));
      })
      .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    String missionId = Requests.path(ctx, "missionId");
    long updateId = Requests.pathLong(ctx, "updateId");
    services.updates().find(missionId, updateId)
      .onSuccess(found -> {
        if (found.isEmpty()) {
          ctx.fail(ApiException.notFound("mission " + missionId + " has no update " + updateId));
        } else {
          Responses.json(ctx, 200, view(found.get()));
        }
      })
      .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    String missionId = Requests.path(ctx, "missionId");
    int limit = Optional.ofNullable(Requests.queryInt(ctx, "limit")).orElse(DEFAULT_LIMIT);
    String cursor = Requests.query(ctx, "cursor");
    Long after = Requests.queryLong(ctx, "after");
    String subsystem = Requests.query(ctx, "subsystem");
    String levelName = Requests.query(ctx, "level");
    Level level = levelName == null ? null : Level.valueOf(levelName);
    if (cursor != null && after != null) {
      throw ApiException.badRequest("give either after or cursor, not both (a cursor already remembers where it is)");
    }
    Cursors.Position position = cursor == null
      ? new Cursors.Position(after == null ? Cursors.Kind.UPDATES_BEFORE : Cursors.Kind.UPDATES_AFTER, after == null ? Long.MAX_VALUE : after)
      : Cursors.decode(cursor, Cursors.Kind.UPDATES_BEFORE, Cursors.Kind.UPDATES_AFTER);
    boolean oldestFirst = position.kind() == Cursors.Kind.UPDATES_AFTER;
    requireMission(missionId)
      .compose(ok -> oldestFirst
        ? services.updates().after(missionId, position.value(), subsystem, level, limit + 1)
        : services.updates().newestFirst(missionId, position.value(), subsystem, level, limit + 1))
      .onSuccess(rows -> {
        JsonArray items = new JsonArray();
        rows.stream().limit(limit).forEach(row -> items.add(view(row)));
        String next = rows.size() > limit ? Cursors.encode(position.kind(), rows.get(limit - 1).id()) : null;
        Responses.json(ctx, 200, Responses.page(items, next));
      })
      .onFailure(ctx::fail);
  }

  /** Known missions are answered from memory; an unknown id costs one query and gets 404. */
  private Future<Void> requireMission(String missionId) {
    return services.rollups().get(missionId).compose(found -> found.isPresent()
      ? Future.succeededFuture()
      : Future.failedFuture(MissionHandlers.missing(missionId)));
  }

  private static boolean sameRequest(StatusUpdate stored, NewUpdate update) {
    return stored.subsystem().equals(update.subsystem()) && stored.level() == update.level()
      && stored.message().equals(update.message()) && Objects.equals(stored.telemetry(), update.telemetry());
  }

  static String location(StatusUpdate update) {
    return "/api/v1/missions/" + update.missionId() + "/updates/" + update.id();
  }

  static JsonObject view(StatusUpdate update) {
    return withoutVersion(update.toJson());
  }
}
