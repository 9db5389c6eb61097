package space.mission.status.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import space.mission.status.db.DatabaseHealth;

/** Refuses requests that need the database at once (503) while it is known to be down, instead of letting each wait for a connect timeout. */
final class DatabaseGate {

  private final DatabaseHealth database;

  DatabaseGate(DatabaseHealth database) {
    this.database = database;
  }

  Handler<RoutingContext> then(Handler<RoutingContext> handler) {
    return ctx -> {
      if (database.isUp()) {
        handler.handle(ctx);
      } else {
        ctx.fail(Problems.databaseUnavailable());
      }
    };
  }
}
