package space.mission.runtime.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

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

  /**
   * The {@code <role>.database} check of a role that keeps data: KO with the error when {@code probe}
   * (a query, or whatever the role trusts to reach its database) fails, else what {@code reached}
   * says (OK, or a role's own reason it cannot serve). It gets the connect timeout and 1.5 s more, so a
   * database that is slow to connect times out as a failed probe rather than as a silent check.
   */
  public static String registerDatabase(Vertx vertx, String role, String deploymentId, Duration connectTimeout,
                                        Supplier<Future<?>> probe, Supplier<Status> reached) {
    return register(vertx, role, "database", deploymentId, connectTimeout.toMillis() + 1500,
      promise -> probe.get().onComplete(result -> promise.complete(result.failed()
        ? Status.KO(new JsonObject().put("error", String.valueOf(result.cause().getMessage())))
        : reached.get())));
  }

  /** {@link #registerDatabase(Vertx, String, String, Duration, Supplier, Supplier)} for a role whose reachable database is all it needs. */
  public static String registerDatabase(Vertx vertx, String role, String deploymentId, Duration connectTimeout, Supplier<Future<?>> probe) {
    return registerDatabase(vertx, role, deploymentId, connectTimeout, probe, Status::OK);
  }

  public static void unregister(Vertx vertx, String name) {
    of(vertx).unregister(name);
  }

  /** Every check, now. */
  public static Future<CheckResult> check(Vertx vertx) {
    return of(vertx).checkStatus();
  }
}
