package space.mission.status.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.BusFailure;
import space.mission.runtime.db.ConnectionFailures;
import space.mission.status.db.DatabaseHealth;
import space.mission.status.db.DuplicateKeyException;
import space.mission.status.db.MissionNotFoundException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every failure becomes an RFC 9457 {@code application/problem+json} answer here, in one place:
 * validation errors from the OpenAPI contract (with each error's location), refusals raised by
 * handlers ({@link ApiException}), body-size and routing errors from vertx-web, database outages
 * (503 with Retry-After), and anything unexpected (500, logged with an id the client sees).
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";
  static final String TYPE_PREFIX = "urn:mission-control:problem:";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private final DatabaseHealth database;
  private final int maxBodyBytes;

  public Problems(DatabaseHealth database, int maxBodyBytes) {
    this.database = database;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The router's failure handler. */
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    send(ctx, toApiException(ctx));
  }

  static void send(RoutingContext ctx, ApiException problem) {
    JsonObject body = new JsonObject()
      .put("type", TYPE_PREFIX + problem.type())
      .put("title", problem.title())
      .put("status", problem.status())
      .put("detail", problem.getMessage())
      .put("instance", ctx.request().path());
    if (problem.errors() != null && !problem.errors().isEmpty()) {
      body.put("errors", problem.errors());
    }
    HttpServerResponse response = ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", CONTENT_TYPE);
    problem.headers().forEach(response::putHeader);
    response.end(body.toBuffer());
  }

  private ApiException toApiException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException) {
      return (ApiException) failure;
    }
    if (failure instanceof HttpException && failure.getCause() instanceof ValidatorException) {
      return validation((ValidatorException) failure.getCause());
    }
    if (failure instanceof ValidatorException) {
      return validation((ValidatorException) failure);
    }
    if (failure instanceof MissionNotFoundException) {
      return ApiException.notFound(failure.getMessage());
    }
    if (failure instanceof DuplicateKeyException) {
      return ApiException.conflict("the resource already exists");
    }
    if (failure instanceof ReplyException reply) {
      return switch (BusFailure.httpStatus(reply)) {
        case 400 -> ApiException.badRequest(reply.getMessage());
        case 404 -> ApiException.notFound(reply.getMessage());
        case 409 -> ApiException.conflict(reply.getMessage());
        case 503 -> unavailable(reply.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE ? reply.getMessage()
          : "the role that answers this is not running or not reachable (" + reply.failureType().name().toLowerCase().replace('_', ' ') + ")",
          "service-unavailable");
        default -> new ApiException(502, "upstream", "Another role failed", reply.getMessage());
      };
    }
    if (failure != null && ConnectionFailures.isUnavailable(failure)) {
      database.observe(failure);
      return databaseUnavailable();
    }
    int status = failure instanceof HttpException ? ((HttpException) failure).getStatusCode() : ctx.statusCode();
    switch (status) {
      case 404:
        return ApiException.notFound("no resource at " + ctx.request().method() + " " + ctx.request().path());
      case 405:
        return new ApiException(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413:
        return new ApiException(413, "payload-too-large", "The request body is too large",
          "request bodies are limited to " + maxBodyBytes + " bytes");
      case 503:
        return unavailable("the request took too long and was abandoned", "timeout");
      default:
        if (status >= 400 && status < 500) {
          return new ApiException(status, "client-error", "The request was refused", "status " + status);
        }
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("Unexpected failure answering {} {} (incident {})", ctx.request().method(), ctx.request().path(), incident, failure);
    return new ApiException(500, "internal-error", "Internal error",
      "the server failed unexpectedly; incident " + incident + " is logged");
  }

  static ApiException databaseUnavailable() {
    return unavailable("the database is unavailable; retry shortly", "database-unavailable");
  }

  private static ApiException unavailable(String detail, String type) {
    return new ApiException(503, type, "Service temporarily unavailable", detail, null, Map.of("Retry-After", "5"));
  }

  private static ApiException validation(ValidatorException failure) {
    ValidatorErrorType type = failure.type();
    if (type == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT) {
      return new ApiException(415, "unsupported-media-type", "Unsupported media type", failure.getMessage());
    }
    if (type == ValidatorErrorType.ILLEGAL_VALUE && failure.getMessage().contains("body can't be decoded")) {
      return new ApiException(400, "malformed-json", "The request body is not valid JSON",
        "the request body could not be parsed as JSON");
    }
    JsonArray errors = new JsonArray();
    if (failure instanceof SchemaValidationException) {
      Set<String> seen = new LinkedHashSet<>();
      collect(((SchemaValidationException) failure).getOutputUnit(), errors, seen);
    }
    String detail = failure.getMessage();
    if (!errors.isEmpty()) {
      StringBuilder summary = new StringBuilder(detail.startsWith("The value of the request body") ? "the request body is invalid: " : "the request is invalid: ");
      for (int i = 0; i < errors.size(); i++) {
        JsonObject error = errors.getJsonObject(i);
        summary.append(i == 0 ? "" : "; ").append(error.getString("location")).append(": ").append(error.getString("message"));
      }
      detail = detail.startsWith("The value of the request body") ? summary.toString() : detail;
    }
    return new ApiException(400, "invalid-request", "The request is not valid", detail, errors, Map.of());
  }

  /**
   * The errors of a JSON-schema result worth showing, each with its location as a JSON pointer
   * into the input. The validator also reports every enclosing schema that failed ("does not
   * match schema", "A subschema had errors"); those say nothing the specific error does not.
   */
  private static void collect(OutputUnit result, JsonArray errors, Set<String> seen) {
    List<OutputUnit> units = new ArrayList<>();
    flatten(result, units);
    List<OutputUnit> specific = units.stream().filter(unit -> !isWrapper(unit.getError())).toList();
    Set<String> explained = new HashSet<>();
    specific.stream().filter(unit -> !isAdditional(unit.getError())).forEach(unit -> explained.add(pointer(unit.getInstanceLocation())));
    for (OutputUnit unit : specific.isEmpty() ? units : specific) {
      String location = pointer(unit.getInstanceLocation());
      String message = unit.getError();
      if (isAdditional(message)) {
        // the validator also flags declared properties that failed their own schema this way
        if (explained.contains(location)) {
          continue;
        }
        message = "unknown field \"" + location.substring(location.lastIndexOf('/') + 1) + "\" (not in the schema)";
      }
      if (seen.add(location + " " + message)) {
        errors.add(new JsonObject().put("location", location).put("message", message));
      }
    }
  }

  private static boolean isAdditional(String error) {
    return error.endsWith("does not match additional properties schema");
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> into) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(child -> flatten(child, into));
    } else if (unit.getError() != null) {
      into.add(unit);
    }
  }

  private static boolean isWrapper(String error) {
    return error.endsWith("does not match schema") || error.equals("A subschema had errors");
  }

  private static String pointer(String instanceLocation) {
    if (instanceLocation == null) {
      return "/";
    }
    String location = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    return location.isEmpty() ? "/" : location;
  }
}
