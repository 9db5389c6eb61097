package space.mission.runtime.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/** Reactive MySQL pools, built the same way for every role. */
public final class Databases {

  private Databases() {
  }

  /**
   * A pool named after the role that owns it (the name shows in metrics). Requests wait at most the
   * connect timeout for a connection, so an outage turns into quick failures, never a pile-up.
   */
  public static Pool pool(Vertx vertx, DatabaseSettings settings, String owner) {
    int connectMillis = (int) settings.connectTimeout().toMillis();
    return MySQLBuilder.pool()
      .with(new PoolOptions()
        .setName(owner + "-db")
        .setMaxSize(settings.poolSize())
        .setMaxWaitQueueSize(4096)
        .setConnectionTimeout(connectMillis)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(TimeUnit.MINUTES)
        .setPoolCleanerPeriod(30_000))
      .with(new NetClientOptions().setConnectTimeout(connectMillis).setTcpKeepAlive(true).setTcpNoDelay(true))
      .connectingTo(settings.url().connectOptions().setPipeliningLimit(16))
      .using(vertx)
      .build();
  }
}
