package space.mission.runtime.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The server's {@code invalidRequestHandler}: what Netty's decoder could not parse (a request line
 * or URL over the limit, headers over the limit, a malformed request line or header) is answered
 * with the same status Vert.x's default handler picks (414, 431, 400), but as problem+json naming
 * what was wrong instead of an empty body; a version other than HTTP/1.0 and 1.1 is 505, one that is not HTTP at all 400 (see
 * {@link VersionCheck}).
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

  private final int maxInitialLineLength;
  private final int maxHeaderSize;

  public InvalidRequests(int maxInitialLineLength, int maxHeaderSize) {
    this.maxInitialLineLength = maxInitialLineLength;
    this.maxHeaderSize = maxHeaderSize;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      HttpProblem.sendAndClose(request, 414, "uri-too-long", "The request line is too long",
        "the request line (method, URL and version) is limited to " + maxInitialLineLength + " bytes", null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      HttpProblem.sendAndClose(request, 431, "header-fields-too-large", "The request headers are too large",
        "the request's headers are limited to " + maxHeaderSize + " bytes in all", null);
    } else if (cause instanceof VersionCheck.UnsupportedVersion) {
      HttpProblem.sendAndClose(request, 505, "http-version-not-supported", "HTTP version not supported",
        cause.getMessage() + "; this server speaks HTTP/1.0 and HTTP/1.1", null);
    } else {
      HttpProblem.sendAndClose(request, 400, "malformed-request", "The request is malformed",
        "the request could not be parsed as HTTP/1.1" + (cause == null || cause.getMessage() == null ? "" : ": " + shorten(cause.getMessage())), null);
    }
  }

  /** The decoder's words can quote the client's bytes: a little is enough to say what was wrong. */
  private static String shorten(String message) {
    return message.length() <= 160 ? message : message.substring(0, 160) + "...";
  }
}
