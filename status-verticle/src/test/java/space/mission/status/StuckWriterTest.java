package space.mission.status;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.Await;
import space.mission.testkit.RestartableDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch that can never commit while the database still answers pings: another session holds a
 * write lock on the updates table. The group-commit writer must not stay stuck behind it.
 */
class StuckWriterTest {

  static Vertx vertx;
  static RestartableDatabase database;
  static DatabaseUrl schema;
  static StatusHarness status;
  static StatusApi api;

  @BeforeAll
  static void start() {
    database = RestartableDatabase.start();
    schema = database.database("stuck");
    vertx = Vertx.vertx();
    status = StatusHarness.start(vertx, schema, Clock.systemUTC(), Map.of("MC_STATUS_WRITES_BATCH_DEADLINE", "1s"));
    api = status.api;
  }

  @AfterAll
  static void stop() {
    if (status != null) {
      status.stop();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  @DisplayName("A batch that cannot commit fails with 503 by its deadline, readiness turns red, and the writer heals when the lock goes")
  void stuckBatchHeals() throws Exception {
    api.createMission(new JsonObject().put("name", "Pioneer 12").put("id", "pioneer-12"));
    api.record("pioneer-12", "comms", "NOMINAL", "before the lock");

    try (Connection holder = DriverManager.getConnection(schema.jdbcUrl(), schema.jdbcProperties());
         Statement statement = holder.createStatement()) {
      statement.execute("LOCK TABLES status_updates WRITE");

      for (int i = 0; i < 3; i++) {
        long started = System.nanoTime();
        HttpResponse<Buffer> write = api.post("/api/v1/missions/pioneer-12/updates",
          new JsonObject().put("subsystem", "comms").put("level", "WARNING").put("message", "stuck " + i));
        long millis = (System.nanoTime() - started) / 1_000_000;
        StatusApi.problem(write, 503);
        assertThat(write.getHeader("Retry-After")).isEqualTo("5");
        assertThat(millis).as("answered by the batch deadline (1 s), not the 10 s request timeout").isLessThan(4000);
      }
      HttpResponse<Buffer> ready = api.get("/health/ready");
      assertThat(ready.statusCode()).as("readiness is red while writes cannot commit, though pings answer").isEqualTo(503);

      statement.execute("UNLOCK TABLES");
    }

    JsonObject after = Await.value(Duration.ofSeconds(15), Duration.ofMillis(100), () -> {
      HttpResponse<Buffer> write = api.post("/api/v1/missions/pioneer-12/updates",
        new JsonObject().put("subsystem", "comms").put("level", "WATCH").put("message", "after the lock"));
      return write.statusCode() == 201 ? write.bodyAsJsonObject() : null;
    }, Objects::nonNull);
    if (after == null) {
      throw new AssertionError("no write committed within 15 s of the unlock");
    }
    assertThat(after.getLong("id")).isPositive();
    Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> "ready again", () -> api.get("/health/ready").statusCode() == 200);
    for (int i = 0; i < 5; i++) {
      assertThat(api.post("/api/v1/missions/pioneer-12/updates",
        new JsonObject().put("subsystem", "power").put("level", "NOMINAL").put("message", "healed " + i)).statusCode())
        .as("the writer goes on committing").isEqualTo(201);
    }
  }

}
