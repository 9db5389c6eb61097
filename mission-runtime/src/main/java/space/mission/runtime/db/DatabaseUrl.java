package space.mission.runtime.db;

import io.vertx.mysqlclient.MySQLConnectOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A database location written as {@code mysql://user:password@host:3306/database}: the one form
 * operators give, turned into what the reactive client and JDBC (Flyway) each need. The user and
 * password may be URL-encoded.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

  public static DatabaseUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    if (!"mysql".equals(uri.getScheme()) && !"mariadb".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the scheme must be mysql:// (or mariadb://)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the host is missing");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (!DATABASE_NAME.matcher(path).matches()) {
      throw new IllegalArgumentException("the database name is missing or not a plain name (letters, digits, _ and $)");
    }
    String user = "root";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    return new DatabaseUrl(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), path, user, password);
  }

  public DatabaseUrl withDatabase(String otherDatabase) {
    return new DatabaseUrl(host, port, otherDatabase, user, password);
  }

  /** The same location with another password: one the platform injects apart from the URL (MC_DB_PASSWORD). */
  public DatabaseUrl withPassword(String otherPassword) {
    return new DatabaseUrl(host, port, database, user, otherPassword);
  }

  public MySQLConnectOptions connectOptions() {
    return new MySQLConnectOptions()
      .setHost(host)
      .setPort(port)
      .setDatabase(database)
      .setUser(user)
      .setPassword(password)
      .setCharset("utf8mb4")
      .setCachePreparedStatements(true)
      .setPreparedStatementCacheMaxSize(256);
  }

  /** A JDBC URL for the MariaDB driver, which speaks to MySQL 8 as well. */
  public String jdbcUrl() {
    return "jdbc:mariadb://" + host + ":" + port + "/" + database + "?allowPublicKeyRetrieval=true";
  }

  public Properties jdbcProperties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return properties;
  }

  /** The URL again, with the password masked: safe for logs. */
  public String redacted() {
    return "mysql://" + user + (password.isEmpty() ? "" : ":***") + "@" + host + ":" + port + "/" + database;
  }

  /** The URL again, in the form {@link #parse} reads. */
  public String url() {
    return "mysql://" + encode(user) + (password.isEmpty() ? "" : ":" + encode(password)) + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return redacted();
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
