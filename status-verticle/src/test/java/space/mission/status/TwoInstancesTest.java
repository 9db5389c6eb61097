package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.SseClient;
import space.mission.testkit.TestCluster;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Two status instances in two clustered Vert.x members sharing one database: each one's rollups follow the other's writes. */
class TwoInstancesTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static Vertx memberA;
  static Vertx memberB;
  static StatusHarness a;
  static StatusHarness b;

  @BeforeAll
  static void start() {
    TestCluster cluster = TestCluster.create();
    memberA = cluster.member();
    memberB = cluster.member();
    a = StatusHarness.start(memberA, db.url());
    b = StatusHarness.start(memberB, db.url());
  }

  @AfterAll
  static void stop() {
    a.stop();
    b.stop();
    Future.join(memberA.close(), memberB.close()).await();
  }

  @Test
  @DisplayName("An update recorded on A shows in B's rollup, which B already had in memory")
  void rollupFollowsOtherInstance() {
    a.api.createMission(new JsonObject().put("name", "Shared").put("id", "shared"));
    a.api.record("shared", "comms", "NOMINAL", "first");
    assertThat(b.api.get("/api/v1/missions/shared/status").bodyAsJsonObject().getString("level")).isEqualTo("NOMINAL");
    a.api.record("shared", "comms", "CRITICAL", "second");
    awaitLevel(b, "shared", "CRITICAL");
  }

  @Test
  @DisplayName("A long-poll held by B is answered by a write on A")
  void longPollAcrossInstances() {
    a.api.createMission(new JsonObject().put("name", "Polled").put("id", "polled"));
    a.api.record("polled", "comms", "NOMINAL", "first");
    String etag = b.api.get("/api/v1/missions/polled/status").getHeader("ETag");
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> held = b.api.request(HttpMethod.GET, "/api/v1/missions/polled/status?wait=30")
      .putHeader("If-None-Match", etag).send();
    memberA.setTimer(300, id -> a.api.request(HttpMethod.POST, "/api/v1/missions/polled/updates")
      .sendJsonObject(new JsonObject().put("subsystem", "propulsion").put("level", "WARNING").put("message", "from A")));
    HttpResponse<Buffer> response = held.await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("level")).isEqualTo("WARNING");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5000);
  }

  @Test
  @DisplayName("A mission changed on A changes B's rollup (phase and reporting interval)")
  void missionChangeAcrossInstances() {
    a.api.createMission(new JsonObject().put("name", "Changing").put("id", "changing").put("phase", "LAUNCHED"));
    assertThat(b.api.get("/api/v1/missions/changing/status").bodyAsJsonObject().getString("phase")).isEqualTo("LAUNCHED");
    a.api.patch("/api/v1/missions/changing", new JsonObject().put("phase", "CRUISE").put("expectedReportSeconds", 42));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    JsonObject rollup;
    do {
      rollup = b.api.get("/api/v1/missions/changing/status").bodyAsJsonObject();
    } while (!"CRUISE".equals(rollup.getString("phase")) && System.nanoTime() < deadline);
    assertThat(rollup.getString("phase")).isEqualTo("CRUISE");
    assertThat(rollup.getInteger("expectedReportSeconds")).isEqualTo(42);
  }

  @Test
  @DisplayName("Live feed: both instances relay an update recorded on A; a client that moves from A to B with A's "
    + "Last-Event-ID gets the status updates it missed from the database, then B's live ones")
  void streamAcrossInstances() {
    a.api.createMission(new JsonObject().put("name", "Streamed").put("id", "streamed"));
    String path = "/api/v1/stream?kinds=status&missions=streamed";
    String last;
    try (SseClient onA = SseClient.open(memberA, a.verticle.port(), path, null);
         SseClient onB = SseClient.open(memberB, b.verticle.port(), path, null)) {
      a.api.record("streamed", "comms", "NOMINAL", "seen by both");
      last = onA.next(Duration.ofSeconds(10)).id();
      assertThat(onB.next(Duration.ofSeconds(10)).json().getString("message")).isEqualTo("seen by both");
    }
    a.api.record("streamed", "comms", "WARNING", "missed 1");
    b.api.record("streamed", "comms", "CRITICAL", "missed 2");
    try (SseClient moved = SseClient.open(memberB, b.verticle.port(), path, last)) {
      a.api.record("streamed", "comms", "NOMINAL", "live");
      assertThat(moved.take(3, Duration.ofSeconds(10))).extracting(event -> event.json().getString("message"))
        .containsExactly("missed 1", "missed 2", "live");
      assertThat(moved.drain(Duration.ofMillis(300))).isEmpty();
    }
  }

  private static void awaitLevel(StatusHarness instance, String mission, String level) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String seen;
    do {
      seen = instance.api.get("/api/v1/missions/" + mission + "/status").bodyAsJsonObject().getString("level");
    } while (!level.equals(seen) && System.nanoTime() < deadline);
    assertThat(seen).isEqualTo(level);
  }
}
