package space.mission.status.api;

import io.vertx.core.json.JsonArray;

import java.util.Map;

/**
 * A request the API refuses, with everything its problem+json answer needs: the status, a type
 * slug (the last part of the problem type URI), a title that is the same for every problem of the
 * type, and a detail that says what exactly was wrong with this request.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final JsonArray errors;
  private final Map<String, String> headers;

  public ApiException(int status, String type, String title, String detail) {
    this(status, type, title, detail, null, Map.of());
  }

  public ApiException(int status, String type, String title, String detail, JsonArray errors, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = errors;
    this.headers = headers;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "invalid-request", "The request is not valid", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "No such resource", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "The request conflicts with the current state", detail);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public JsonArray errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
