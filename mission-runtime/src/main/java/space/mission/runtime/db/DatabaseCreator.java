package space.mission.runtime.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.config.ConfigException;
import space.mission.common.config.EnvOverrides;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Makes sure an external database (db.url) exists before the roles connect to it: a URL naming a
 * database the server does not have would otherwise fail every role's start with "Unknown
 * database". Connected to the server without a database, it creates it when the user may; when the
 * user may not, start-up fails with one line naming the statements an administrator runs. Blocking
 * JDBC: called from the launcher's main thread before Vert.x starts, never from an event loop.
 */
public final class DatabaseCreator {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseCreator.class);
  /** ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_SPECIFIC_ACCESS_DENIED_ERROR: the user lacks the privilege. */
  private static final java.util.Set<Integer> DENIED = java.util.Set.of(1044, 1142, 1227);

  private DatabaseCreator() {
  }

  /**
   * Creates the settings' database if it is missing; returns whether it did. A server that cannot
   * be reached is left to the roles, which report (and wait for) it as they always have: the check
   * gives up after db.connectTimeout, so an unreachable server delays the start by no more than
   * that (the driver alone would wait 30 s on a host that drops packets).
   */
  public static boolean ensureExists(DatabaseSettings settings) {
    DatabaseUrl url = settings.url();
    DatabaseUrl server = url.withDatabase("");
    Properties properties = server.jdbcProperties();
    String timeout = String.valueOf(settings.connectTimeout().toMillis());
    properties.setProperty("connectTimeout", timeout);
    properties.setProperty("socketTimeout", timeout);
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties)) {
      if (exists(connection, url.database())) {
        return false;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE IF NOT EXISTS " + quote(url.database()) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      } catch (SQLException e) {
        if (DENIED.contains(e.getErrorCode())) {
          throw new ConfigException(refusal(url, currentUser(connection)));
        }
        throw e;
      }
      LOG.info("Created the database {} on {}:{} (db.url named a database the server did not have)", url.database(), url.host(), url.port());
      return true;
    } catch (SQLException e) {
      LOG.debug("Cannot check that the database {} exists ({}); the roles will report it", url.redacted(), e.getMessage());
      return false;
    }
  }

  private static boolean exists(Connection connection, String database) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      query.setString(1, database);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The account the server authenticated, as GRANT names it: 'user'@'host'. */
  private static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT CURRENT_USER()")) {
      rows.next();
      String[] account = rows.getString(1).split("@", 2);
      return "'" + account[0].replace("'", "''") + "'@'" + (account.length > 1 ? account[1] : "%").replace("'", "''") + "'";
    }
  }

  static String refusal(DatabaseUrl url, String account) {
    String database = quote(url.database());
    return "config db.url (" + EnvOverrides.envName("db.url") + "): the database " + url.database() + " does not exist on " + url.host() + ":"
      + url.port() + " and " + account + " may not create it; as an administrator run: CREATE DATABASE " + database
      + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; GRANT ALL PRIVILEGES ON " + database + ".* TO " + account + ";";
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
