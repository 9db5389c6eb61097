package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.testkit.Await;
import space.mission.testkit.RestartableDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database killed (SIGKILL) again and again under 32 concurrent writers: every answer is a 201
 * or a 503 (never a 500, never a hang past the request timeout), writes commit again within
 * seconds of each restart with no restart of the role, readiness follows, the pool's counters never
 * go negative, and every acknowledged update is in the database.
 */
class DatabaseKillTest {

  private static final int WRITERS = 32;
  private static final int KILLS = 5;
  private static final Pattern PENDING = Pattern.compile("^vertx_pool_queue_pending\\{[^}]*} (-?[0-9.eE+-]+)$", Pattern.MULTILINE);

  @Test
  @DisplayName("5 kills of the database under 32 writers: 201 or 503 only, writes recover within seconds each time, nothing acknowledged is lost")
  void repeatedKills() throws Exception {
    try (RestartableDatabase database = RestartableDatabase.start()) {
      // with the launcher's metrics (vertx-micrometer), so the pool's own gauges are exported
      Vertx vertx = space.mission.runtime.MissionVertx.start(new space.mission.runtime.cluster.ClusterSettings(false, "unused", List.of(), 5701,
        java.util.Optional.empty(), java.util.Optional.empty())).await();
      StatusHarness status = StatusHarness.start(vertx, database.database("kills"), java.time.Clock.systemUTC(),
        Map.of("MC_DB_CONNECT_TIMEOUT", "1s"));
      try {
        status.api.createMission(new JsonObject().put("name", "Killed").put("id", "killed"));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<Future<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          writers.add(writer(status, w, running, acknowledged, answers));
        }
        List<Long> recoveries = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
          // time must pass: writes flow for a while before each kill, and the database stays down a while
          Thread.sleep(1500);
          database.kill();
          Thread.sleep(1500);
          database.restart();
          long restarted = System.nanoTime();
          int before = acknowledged.get();
          int round = kill;
          Await.until(Duration.ofSeconds(20), Duration.ofMillis(50),
            () -> String.format("writes commit again after restart %d; answers so far %s", round, answers), () -> acknowledged.get() != before);
          recoveries.add(Duration.ofNanos(System.nanoTime() - restarted).toMillis());
        }
        // time must pass: the writers go on against the recovered database before they stop
        Thread.sleep(1000);
        running.set(false);
        Future.join(writers).await();

        assertThat(answers.keySet()).as("every answer a 201 or a 503: %s", answers).isSubsetOf(201, 503);
        assertThat(status.api.get("/health/ready").statusCode()).isEqualTo(200);
        String metrics = status.api.get("/metrics").bodyAsString();
        Matcher pending = PENDING.matcher(metrics);
        int pools = 0;
        while (pending.find()) {
          pools++;
          assertThat(Double.parseDouble(pending.group(1))).as("vertx_pool_queue_pending").isGreaterThanOrEqualTo(0);
        }
        assertThat(pools).as("the pool gauge is exported").isPositive();
        HttpResponse<Buffer> listed = status.api.get("/api/v1/missions/killed/status");
        assertThat(listed.statusCode()).isEqualTo(200);
        long stored = countStored(status);
        assertThat(stored).as("every acknowledged update is stored").isGreaterThanOrEqualTo(acknowledged.get());
        System.out.println("DatabaseKillTest: " + KILLS + " kills under " + WRITERS + " writers; writes committed again "
          + recoveries + " ms after each restart; answers " + answers + "; acknowledged " + acknowledged.get() + ", stored " + stored);
      } finally {
        status.stop();
        vertx.close().await();
      }
    }
  }

  /** One writer: records updates one after another until told to stop (bounded by the test's kills). */
  private static Future<Void> writer(StatusHarness status, int id, AtomicBoolean running, AtomicInteger acknowledged,
                                     Map<Integer, AtomicInteger> answers) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    JsonObject update = new JsonObject().put("subsystem", "w" + id).put("level", "NOMINAL").put("message", "load");
    return status.api.request(io.vertx.core.http.HttpMethod.POST, "/api/v1/missions/killed/updates").timeout(15_000)
      .sendJsonObject(update)
      .transform(result -> {
        int code = result.succeeded() ? result.result().statusCode() : -1;
        answers.computeIfAbsent(code, key -> new AtomicInteger()).incrementAndGet();
        if (code == 201) {
          acknowledged.incrementAndGet();
        }
        return code == 503 || code == -1 ? status.vertx.timer(100).mapEmpty() : Future.succeededFuture();
      })
      .compose(next -> writer(status, id, running, acknowledged, answers));
  }

  /** Counts the stored updates through the API, a page at a time. */
  private static long countStored(StatusHarness status) {
    long count = 0;
    String cursor = null;
    do {
      JsonObject page = status.api.get("/api/v1/missions/killed/updates?limit=200" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
      count += page.getJsonArray("items").size();
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return count;
  }
}
