package space.mission.status.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.runtime.db.ConnectionFailures;

import java.time.Duration;

/**
 * Whether the database answers. A probe runs every probe interval; a request that meets an outage
 * reports it at once. While the database is down, requests that need it are refused immediately
 * (503) instead of each waiting for a connect timeout, and readiness is red; the probe notices the
 * database coming back and everything resumes, with no restart.
 */
public final class DatabaseHealth {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Duration probeInterval;
  private final long probeTimeoutMillis;
  private volatile boolean up = true;
  private volatile String lastError;
  private long timer = -1;

  public DatabaseHealth(Vertx vertx, Pool pool, Duration probeInterval, Duration connectTimeout, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.probeInterval = probeInterval;
    this.probeTimeoutMillis = connectTimeout.toMillis() + 1000;
    Gauge.builder("mission.status.database.up", () -> up ? 1 : 0)
      .description("1 while the status role's database answers, 0 during an outage")
      .register(registry);
  }

  public void start() {
    timer = vertx.setPeriodic(probeInterval.toMillis(), id -> probe());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  public boolean isUp() {
    return up;
  }

  public String lastError() {
    return lastError;
  }

  /** Records what a request learned: an outage turns the state down until a probe succeeds. */
  public void observe(Throwable failure) {
    if (up && ConnectionFailures.isUnavailable(failure)) {
      markDown(failure);
    }
  }

  /** Asks the database now; used by the periodic probe and by readiness. */
  public Future<Void> probe() {
    return pool.query(SqlQueries.PING).execute()
      .timeout(probeTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
      .<Void>mapEmpty()
      .onSuccess(ok -> {
        if (!up) {
          LOG.info("Database is reachable again; resuming");
        }
        up = true;
        lastError = null;
      })
      .onFailure(this::markDown);
  }

  private void markDown(Throwable failure) {
    lastError = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (up) {
      LOG.warn("Database is unavailable ({}); refusing requests that need it until it answers again", lastError);
    }
    up = false;
  }
}
