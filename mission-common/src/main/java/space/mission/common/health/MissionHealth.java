package space.mission.common.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The readiness checks of one Vert.x instance: each role registers what it needs to serve (the
 * status role its database, the monitor its sampling, ...), and whoever answers /health/ready (the
 * status API, or the launcher's management server in a JVM without it) reports them all.
 */
public final class MissionHealth {

  private static final Map<Vertx, HealthChecks> BY_VERTX = new WeakHashMap<>();

  private MissionHealth() {
  }

  public static HealthChecks of(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx, HealthChecks::create);
    }
  }

  /**
   * Registers a check as {@code <role>.<check>} (with the deployment id appended when the name is
   * taken, as when a test deploys a role twice); answers the name to unregister with.
   */
  public static String register(Vertx vertx, String role, String check, String deploymentId, long timeoutMillis,
                                Handler<Promise<Status>> procedure) {
    String name = role + "." + check;
    HealthChecks checks = of(vertx);
    synchronized (BY_VERTX) {
      try {
        checks.register(name, timeoutMillis, procedure);
      } catch (IllegalArgumentException taken) {
        name = name + "." + deploymentId;
        checks.register(name, timeoutMillis, procedure);
      }
    }
    return name;
  }

  public static void unregister(Vertx vertx, String name) {
    of(vertx).unregister(name);
  }

  /** Every check, now. */
  public static Future<CheckResult> check(Vertx vertx) {
    return of(vertx).checkStatus();
  }
}
