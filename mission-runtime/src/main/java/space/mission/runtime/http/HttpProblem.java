package space.mission.runtime.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 {@code application/problem+json} answer written straight onto a server response, for
 * the errors the HTTP layer raises before any router sees the request (a malformed request line,
 * oversized headers or URL, an unsupported version, a body too slow, a connection over the cap).
 * Same shape as the status API's own problems.
 */
public final class HttpProblem {

  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "urn:mission-control:problem:";

  private HttpProblem() {
  }

  /**
   * Answers {@code status} with a problem body and closes the connection once it is written: after
   * such an error the rest of the connection's bytes cannot be trusted to start a request.
   */
  public static void sendAndClose(HttpServerRequest request, int status, String type, String title, String detail,
                                  String retryAfterSeconds) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      request.connection().close();
      return;
    }
    JsonObject body = new JsonObject()
      .put("type", TYPE_PREFIX + type)
      .put("title", title)
      .put("status", status)
      .put("detail", detail);
    String path = safePath(request);
    if (path != null) {
      body.put("instance", path);
    }
    response.setStatusCode(status)
      .putHeader("Content-Type", CONTENT_TYPE)
      .putHeader("Connection", "close");
    if (retryAfterSeconds != null) {
      response.putHeader("Retry-After", retryAfterSeconds);
    }
    response.end(body.toBuffer()).onComplete(done -> request.connection().close());
  }

  /** The request's path, when it has a usable one (an invalid request may have none, or an absurdly long one). */
  private static String safePath(HttpServerRequest request) {
    try {
      String path = request.path();
      return path != null && path.length() <= 256 && path.startsWith("/") ? path : null;
    } catch (RuntimeException unparsable) {
      return null;
    }
  }
}
