package space.mission.status.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reading a request the OpenAPI contract has already validated: types and ranges are known to hold. */
final class Requests {

  private Requests() {
  }

  static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  static String path(RoutingContext ctx, String name) {
    return validated(ctx).getPathParameters().get(name).getString();
  }

  static long pathLong(RoutingContext ctx, String name) {
    return validated(ctx).getPathParameters().get(name).getLong();
  }

  static Integer queryInt(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null || value.isNull() ? null : value.getInteger();
  }

  static Long queryLong(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null || value.isNull() ? null : value.getLong();
  }

  static String query(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null || value.isNull() ? null : value.getString();
  }

  static String header(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getHeaders().get(name);
    return value == null || value.isNull() ? null : value.getString();
  }

  static JsonObject body(RoutingContext ctx) {
    return validated(ctx).getBody().getJsonObject();
  }

  /** The body when the operation's body is optional: an empty object when none was sent. */
  static JsonObject optionalBody(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    return body == null || body.isNull() || body.get() == null ? new JsonObject() : body.getJsonObject();
  }

  /** An RFC 3339 timestamp from the body; the schema's format is advisory, so it is checked here. */
  static Instant timestamp(JsonObject body, String field) {
    String value = body.getString(field);
    if (value == null) {
      return null;
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(field + " must be an RFC 3339 date-time such as 2026-11-22T10:15:30Z, got \"" + value + "\"");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw ApiException.badRequest(field + " must lie between " + EARLIEST + " and " + LATEST + " (what the database stores), got \""
        + value + "\"");
    }
    return instant;
  }

  /** The range of a MariaDB DATETIME(6) column, in UTC: a time outside it would be stored as 0000-00-00. */
  static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
}
