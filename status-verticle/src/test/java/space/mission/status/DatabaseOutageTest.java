package space.mission.status;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.testkit.Await;
import space.mission.testkit.RestartableDatabase;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A real database stopped under a running status role: fast 503s, red readiness, rollups still served; then recovery with no restart. */
class DatabaseOutageTest {

  static Vertx vertx;
  static RestartableDatabase database;
  static StatusHarness status;
  static StatusApi api;

  @BeforeAll
  static void start() {
    database = RestartableDatabase.start();
    vertx = Vertx.vertx();
    status = StatusHarness.start(vertx, database.database("outage"));
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
  @DisplayName("While the database is down: writes and reads fail fast with 503, readiness is red, rollups are served from memory; afterwards all recovers by itself")
  void outageAndRecovery() {
    api.createMission(new JsonObject().put("name", "Voyager 3").put("id", "voyager-3"));
    api.record("voyager-3", "comms", "NOMINAL", "before the outage");
    assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);

    database.stop();

    long started = System.nanoTime();
    HttpResponse<Buffer> write = api.post("/api/v1/missions/voyager-3/updates",
      new JsonObject().put("subsystem", "comms").put("level", "WARNING").put("message", "during the outage"));
    long firstFailureMillis = (System.nanoTime() - started) / 1_000_000;
    JsonObject problem = StatusApi.problem(write, 503);
    assertThat(problem.getString("type")).endsWith(":database-unavailable");
    assertThat(write.getHeader("Retry-After")).isEqualTo("5");
    assertThat(firstFailureMillis).as("the first request meets the outage without hanging").isLessThan(5000);

    started = System.nanoTime();
    StatusApi.problem(api.get("/api/v1/missions/voyager-3"), 503);
    StatusApi.problem(api.get("/api/v1/missions/voyager-3/updates"), 503);
    assertThat((System.nanoTime() - started) / 1_000_000).as("later requests are refused at once").isLessThan(500);

    HttpResponse<Buffer> ready = api.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("status")).isEqualTo("DOWN");
    assertThat(api.get("/health/live").statusCode()).as("alive all along").isEqualTo(200);

    HttpResponse<Buffer> rollup = api.get("/api/v1/missions/voyager-3/status");
    assertThat(rollup.statusCode()).as("the rollup is served from memory").isEqualTo(200);
    assertThat(rollup.bodyAsJsonObject().getString("level")).isEqualTo("NOMINAL");

    database.restart();

    Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), () -> "ready again", () -> api.get("/health/ready").statusCode() == 200);
    JsonObject after = api.record("voyager-3", "comms", "WATCH", "after the outage");
    assertThat(after.getLong("id")).isPositive();
    assertThat(api.get("/api/v1/missions/voyager-3/status").bodyAsJsonObject().getString("level")).isEqualTo("WATCH");
    assertThat(api.get("/api/v1/missions/voyager-3/updates").bodyAsJsonObject().getJsonArray("items"))
      .as("nothing acknowledged was lost, nothing refused was stored").hasSize(2);
  }

}
