package space.mission.runtime.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one role's Flyway migrations on a worker thread (Flyway is JDBC, so it must never run on
 * an event loop). Each role owns its tables, its scripts under {@code db/migration/<role>} and its
 * own history table, so roles share a schema without sharing a migration sequence. Flyway's lock
 * serializes members that start at the same moment.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static Future<MigrateResult> migrate(Vertx vertx, DatabaseUrl url, String role) {
    return vertx.executeBlocking(() -> {
      Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration/" + role)
        .table("flyway_history_" + role)
        // other roles' tables may already be in the schema: start this role's history at 0
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .connectRetries(3)
        .load();
      MigrateResult result = flyway.migrate();
      LOG.info("Database schema for {} at version {} ({} migrations applied) in {}", role,
        result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
        result.migrationsExecuted, url.redacted());
      return result;
    }, false);
  }
}
