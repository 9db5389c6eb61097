package space.mission.status.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * Bearer-token check for the API: writes always need a configured token; reads only when the
 * operator asked for it (health, metrics and the OpenAPI document stay open for probes). Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every configured token
 * without stopping early, so the time taken says nothing about how close a guess was.
 *
 * <p>It is a {@link SecurityPolicyHandler} to vertx-web, which orders those before the body
 * handler: the token is checked before the body is read, so a caller without one gets a 401 and
 * learns nothing else (not even the body limit).
 */
public final class BearerAuth implements SecurityPolicyHandler {

  private static final String CHALLENGE = "Bearer realm=\"mission-control\"";

  private final List<byte[]> tokenDigests;
  private final boolean readsRequireToken;

  public BearerAuth(List<String> tokens, boolean readsRequireToken) {
    this.tokenDigests = tokens.stream().map(BearerAuth::digest).toList();
    this.readsRequireToken = readsRequireToken;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!needsToken(ctx)) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      ctx.fail(new ApiException(401, "unauthorized", "Authentication required",
        "this request needs an Authorization: Bearer <token> header", null, Map.of("WWW-Authenticate", CHALLENGE)));
      return;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      ctx.fail(new ApiException(401, "unauthorized", "Authentication required",
        "the Authorization header must use the Bearer scheme", null, Map.of("WWW-Authenticate", CHALLENGE)));
      return;
    }
    if (!allowed(header.substring(7).trim())) {
      ctx.fail(new ApiException(401, "invalid-token", "Authentication failed", "the bearer token is not valid", null,
        Map.of("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"")));
      return;
    }
    ctx.next();
  }

  boolean allowed(String token) {
    byte[] candidate = digest(token);
    boolean match = false;
    for (byte[] known : tokenDigests) {
      match |= MessageDigest.isEqual(known, candidate);
    }
    return match;
  }

  private boolean needsToken(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS) {
      return true;
    }
    return readsRequireToken && ctx.request().path().startsWith("/api/");
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
