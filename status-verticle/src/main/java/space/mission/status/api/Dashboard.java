package space.mission.status.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.webjars.WebJarVersionLocator;

/**
 * The operators' dashboard: static files from the jar's {@code webroot/} at {@code /} and
 * {@code /ui/}, and browser libraries from WebJars at {@code /webjars/<name>/<file>} (the page
 * names no version: the one on the classpath is served). The pages hold no data, so they need no
 * token; what they show comes from the API and the live feed.
 */
final class Dashboard {

  private static final String WEBJARS = "/webjars/";
  /** Scripts and styles only from this server; data only from its API and feed. */
  private static final String CONTENT_SECURITY_POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private Dashboard() {
  }

  /** Whether a route path is the dashboard's (static files), not the API's. */
  static boolean serves(String path) {
    return path.equals("/") || path.startsWith("/ui/") || path.startsWith(WEBJARS);
  }

  static void mount(Router router) {
    StaticHandler pages = StaticHandler.create("webroot").setIndexPage("index.html").setMaxAgeSeconds(300);
    router.get("/").handler(Dashboard::securityHeaders).handler(pages);
    router.get("/ui/*").handler(Dashboard::securityHeaders).handler(pages);

    WebJarVersionLocator locator = new WebJarVersionLocator();
    StaticHandler webjars = StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400);
    router.get(WEBJARS + "*").handler(ctx -> versioned(ctx, locator)).handler(webjars);
  }

  /** Rewrites /webjars/chart.js/dist/x.js to /webjars/chart.js/4.5.1/dist/x.js, the version on the classpath. */
  private static void versioned(RoutingContext ctx, WebJarVersionLocator locator) {
    String rest = ctx.normalizedPath().substring(WEBJARS.length());
    int slash = rest.indexOf('/');
    String version = slash > 0 ? locator.version(rest.substring(0, slash)) : null;
    if (version == null || rest.startsWith(version + "/", slash + 1)) {
      ctx.next();
    } else {
      ctx.reroute(WEBJARS + rest.substring(0, slash) + "/" + version + rest.substring(slash));
    }
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
      .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
