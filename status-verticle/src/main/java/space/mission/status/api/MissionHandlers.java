package space.mission.status.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.Mission;
import space.mission.common.bus.Phase;
import space.mission.status.StatusServices;
import space.mission.status.db.DuplicateKeyException;
import space.mission.status.db.MissionRepository;

import java.time.Instant;

import static space.mission.status.rollup.RollupRenderer.withoutVersion;

/** Missions: list, create, read, change. */
final class MissionHandlers {

  private static final int DEFAULT_LIMIT = 50;
  private static final int ATTEMPTS = 5;

  private final StatusServices services;

  MissionHandlers(StatusServices services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    int limit = orDefault(Requests.queryInt(ctx, "limit"), DEFAULT_LIMIT);
    String cursor = Requests.query(ctx, "cursor");
    long after = cursor == null ? 0 : Cursors.decode(cursor, Cursors.Kind.MISSIONS).value();
    services.missions().list(after, limit + 1)
      .onSuccess(rows -> {
        JsonArray items = new JsonArray();
        rows.stream().limit(limit).forEach(row -> items.add(view(row.mission())));
        String next = rows.size() > limit ? Cursors.encode(Cursors.Kind.MISSIONS, rows.get(limit - 1).seq()) : null;
        Responses.json(ctx, 200, Responses.page(items, next));
      })
      .onFailure(ctx::fail);
  }

  void create(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    String name = body.getString("name");
    String destination = body.getString("destination");
    Phase phase = body.containsKey("phase") ? Phase.valueOf(body.getString("phase")) : Phase.PLANNED;
    int expected = body.getInteger("expectedReportSeconds", services.settings().defaultExpectedReportSeconds());
    Instant now = services.clock().instant();
    String requestedId = body.getString("id");
    Future<Mission> created = requestedId != null
      ? services.missions().insert(requestedId, name, destination, phase, expected, now)
        .recover(failure -> Future.failedFuture(failure instanceof DuplicateKeyException
          ? ApiException.conflict("mission id " + requestedId + " is already taken") : failure))
      : insertWithFreeSlug(Slugs.fromName(name), name, destination, phase, expected, now, ATTEMPTS);
    created
      .compose(mission -> announce(mission).map(mission))
      .onSuccess(mission -> {
        ctx.response().putHeader("Location", "/api/v1/missions/" + mission.id()).putHeader("ETag", etag(mission));
        Responses.json(ctx, 201, view(mission));
      })
      .onFailure(ctx::fail);
  }

  /** Two creates of the same name may race for the slug: the loser picks the next free one. */
  private Future<Mission> insertWithFreeSlug(String base, String name, String destination, Phase phase, int expected,
                                             Instant now, int attemptsLeft) {
    MissionRepository missions = services.missions();
    return missions.idsLike(base)
      .compose(taken -> missions.insert(Slugs.firstFree(base, taken), name, destination, phase, expected, now))
      .recover(failure -> failure instanceof DuplicateKeyException && attemptsLeft > 1
        ? insertWithFreeSlug(base, name, destination, phase, expected, now, attemptsLeft - 1)
        : Future.failedFuture(failure));
  }

  void get(RoutingContext ctx) {
    String id = Requests.path(ctx, "missionId");
    services.missions().find(id)
      .onSuccess(found -> {
        if (found.isEmpty()) {
          ctx.fail(missing(id));
          return;
        }
        ctx.response().putHeader("ETag", etag(found.get()));
        Responses.json(ctx, 200, view(found.get()));
      })
      .onFailure(ctx::fail);
  }

  void patch(RoutingContext ctx) {
    String id = Requests.path(ctx, "missionId");
    JsonObject changes = Requests.body(ctx);
    Long expectedVersion = parseIfMatch(Requests.header(ctx, "If-Match"));
    change(id, changes, expectedVersion, ATTEMPTS)
      .compose(mission -> announce(mission).map(mission))
      .onSuccess(mission -> {
        ctx.response().putHeader("ETag", etag(mission));
        Responses.json(ctx, 200, view(mission));
      })
      .onFailure(ctx::fail);
  }

  /** Read, check, write if unchanged meanwhile; without If-Match a lost race is simply tried again. */
  private Future<Mission> change(String id, JsonObject changes, Long expectedVersion, int attemptsLeft) {
    return services.missions().find(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(missing(id));
      }
      Mission current = found.get();
      if (expectedVersion != null && expectedVersion != current.version()) {
        return Future.failedFuture(preconditionFailed(current));
      }
      Mission changed = apply(current, changes);
      return services.missions().replace(changed).compose(written -> {
        if (written) {
          return Future.succeededFuture(changed);
        }
        if (expectedVersion != null || attemptsLeft <= 1) {
          return Future.failedFuture(new ApiException(412, "precondition-failed", "The mission changed meanwhile",
            "mission " + id + " was changed by another request; read it again and retry"));
        }
        return change(id, changes, null, attemptsLeft - 1);
      });
    });
  }

  private Mission apply(Mission current, JsonObject changes) {
    Phase phase = changes.containsKey("phase") ? Phase.valueOf(changes.getString("phase")) : current.phase();
    if (!current.phase().canMoveTo(phase)) {
      throw ApiException.conflict("mission " + current.id() + " cannot move from " + current.phase() + " to " + phase
        + (current.phase().isFinal() ? " (" + current.phase() + " is final)" : " (phases only move forward; LOST can be declared any time)"));
    }
    return new Mission(
      current.id(),
      changes.containsKey("name") ? changes.getString("name") : current.name(),
      changes.containsKey("destination") ? changes.getString("destination") : current.destination(),
      phase,
      changes.containsKey("expectedReportSeconds") ? changes.getInteger("expectedReportSeconds") : current.expectedReportSeconds(),
      current.version() + 1,
      current.createdAt(),
      services.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  /** Tells every status instance (their rollup caches) about the mission, this one first. */
  private Future<Void> announce(Mission mission) {
    services.vertx().eventBus().publish(Addresses.STATUS_MISSION, mission.toJson());
    return services.rollups().offer(mission);
  }

  static JsonObject view(Mission mission) {
    return withoutVersion(mission.toJson());
  }

  static String etag(Mission mission) {
    return "W/\"" + mission.version() + "\"";
  }

  private static Long parseIfMatch(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("If-Match must be an ETag this API returned for the mission, such as W/\"3\"");
    }
  }

  private static ApiException preconditionFailed(Mission current) {
    return new ApiException(412, "precondition-failed", "The mission changed meanwhile",
      "mission " + current.id() + " is at version " + current.version() + ", not the one in If-Match");
  }

  static ApiException missing(String id) {
    return ApiException.notFound("mission " + id + " does not exist");
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
