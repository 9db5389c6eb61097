package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.testkit.RestartableDatabase;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database killed under reads and writes in flight: queries on connections that die (closed,
 * reset), connects while it is down (refused) and requests queued for a connection (pool wait timed
 * out) all answer 503 problem+json with Retry-After; none answers 500 or any other error.
 */
class ConnectionLossTest {

  private static final int CLIENTS_PER_KIND = 8;
  private static final int KILLS = 2;

  private record Answer(String what, int status, String contentType, String retryAfter, String body) {
  }

  @Test
  @DisplayName("Reads and writes in flight when the database is killed answer 503 problem+json with Retry-After, never 500")
  void killUnderReadsAndWrites() throws Exception {
    try (RestartableDatabase database = RestartableDatabase.start()) {
      Vertx vertx = Vertx.vertx();
      // a small pool and a short connect timeout: requests also wait for connections and time out while it is down
      StatusHarness status = StatusHarness.start(vertx, database.database("connloss"), Clock.systemUTC(),
        Map.of("MC_DB_CONNECT_TIMEOUT", "1s", "MC_DB_POOL_SIZE", "2"));
      try {
        status.api.createMission(new JsonObject().put("name", "Lost").put("id", "lost"));
        status.api.record("lost", "power", "NOMINAL", "before");
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        Queue<Answer> failures = new ConcurrentLinkedQueue<>();
        List<Future<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS_PER_KIND; c++) {
          int id = c;
          clients.add(loop(status, running, counts, failures, "POST updates", () -> status.api.request(HttpMethod.POST, "/api/v1/missions/lost/updates"),
            new JsonObject().put("subsystem", "s" + id).put("level", "NOMINAL").put("message", "load")));
          clients.add(loop(status, running, counts, failures, "GET updates", () -> status.api.request(HttpMethod.GET, "/api/v1/missions/lost/updates?limit=20"), null));
          clients.add(loop(status, running, counts, failures, "GET mission", () -> status.api.request(HttpMethod.GET, "/api/v1/missions/lost"), null));
          clients.add(loop(status, running, counts, failures, "GET missions", () -> status.api.request(HttpMethod.GET, "/api/v1/missions"), null));
        }
        for (int kill = 0; kill < KILLS; kill++) {
          // time must pass: the clients run against a live database, then a dead one, then the restarted one
          Thread.sleep(1000);
          database.kill();
          Thread.sleep(2500);
          database.restart();
        }
        // time must pass: the clients go on against the restarted database before they stop
        Thread.sleep(3000);
        running.set(false);
        Future.join(clients).await();

        assertThat(counts.keySet()).as("answers by status: %s", counts).isSubsetOf(200, 201, 503);
        assertThat(counts).as("the kills were felt").containsKey(503);
        for (Answer failure : failures) {
          assertThat(failure.status()).as("%s", failure).isEqualTo(503);
          assertThat(failure.contentType()).as("%s", failure).isEqualTo("application/problem+json");
          assertThat(failure.retryAfter()).as("%s", failure).isNotBlank();
          JsonObject problem = new JsonObject(failure.body());
          assertThat(problem.getInteger("status")).as("%s", failure).isEqualTo(503);
          assertThat(problem.getString("type")).as("%s", failure).startsWith("urn:mission-control:problem:");
        }
        assertThat(status.api.get("/api/v1/missions/lost").statusCode()).isEqualTo(200);
        System.out.println("ConnectionLossTest: " + KILLS + " kills under " + 4 * CLIENTS_PER_KIND + " clients; answers " + counts);
      } finally {
        status.stop();
        vertx.close().await();
      }
    }
  }

  /** One client: sends the same request again and again until told to stop; every answer that is not a success is kept. */
  private static Future<Void> loop(StatusHarness status, AtomicBoolean running, Map<Integer, AtomicInteger> counts, Queue<Answer> failures,
                                   String what, Supplier<HttpRequest<Buffer>> request, JsonObject body) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    HttpRequest<Buffer> sent = request.get().timeout(15_000);
    Future<HttpResponse<Buffer>> response = body == null ? sent.send() : sent.sendJsonObject(body);
    return response.transform(result -> {
      int code = result.succeeded() ? result.result().statusCode() : -1;
      counts.computeIfAbsent(code, key -> new AtomicInteger()).incrementAndGet();
      if (result.succeeded() && code >= 300) {
        HttpResponse<Buffer> r = result.result();
        failures.add(new Answer(what, code, r.getHeader("Content-Type"), r.getHeader("Retry-After"), r.bodyAsString()));
      }
      return code >= 300 || code == -1 ? status.vertx.timer(50).mapEmpty() : Future.succeededFuture();
    }).compose(next -> loop(status, running, counts, failures, what, request, body));
  }
}
