package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestClock;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RollupApiTest {

  static final TestClock clock = TestClock.running();

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db).with(clock).with(Map.of("MC_STATUS_ROLLUP_STALE_TOLERANCE", "2.0"));

  private String mission;
  private static int count;

  @BeforeEach
  void mission() {
    mission = "rollup-" + (++count);
    status.api().createMission(new JsonObject().put("name", mission).put("id", mission).put("phase", "CRUISE").put("expectedReportSeconds", 60));
  }

  private HttpResponse<Buffer> rollup(String query, String ifNoneMatch) {
    var request = status.api().request(HttpMethod.GET, "/api/v1/missions/" + mission + "/status" + query);
    if (ifNoneMatch != null) {
      request.putHeader("If-None-Match", ifNoneMatch);
    }
    return request.send().await();
  }

  @Test
  @DisplayName("Before any update the rollup is UNKNOWN with no subsystems")
  void empty() {
    JsonObject rollup = rollup("", null).bodyAsJsonObject();
    assertThat(rollup.getString("level")).isEqualTo("UNKNOWN");
    assertThat(rollup.getJsonArray("subsystems")).isEmpty();
    assertThat(rollup.getBoolean("stale")).isFalse();
  }

  @Test
  @DisplayName("The overall level is the worst latest level; each subsystem shows its latest update and age")
  void worstLatest() {
    status.api().record(mission, "comms", "CRITICAL", "antenna fault");
    status.api().record(mission, "comms", "NOMINAL", "antenna recovered");
    status.api().record(mission, "propulsion", "WATCH", "tank pressure drifting");
    JsonObject rollup = rollup("", null).bodyAsJsonObject();
    assertThat(rollup.getString("level")).isEqualTo("WATCH");
    assertThat(rollup.getString("phase")).isEqualTo("CRUISE");
    List<JsonObject> subsystems = rollup.getJsonArray("subsystems").stream().map(JsonObject.class::cast).toList();
    assertThat(subsystems).extracting(s -> s.getString("subsystem")).containsExactly("comms", "propulsion");
    assertThat(subsystems.get(0).getString("level")).isEqualTo("NOMINAL");
    assertThat(subsystems.get(0).getJsonObject("latest").getString("message")).isEqualTo("antenna recovered");
    assertThat(subsystems.get(0).getLong("ageSeconds")).isBetween(0L, 5L);
    assertThat(subsystems.get(1).getBoolean("stale")).isFalse();
  }

  @Test
  @DisplayName("A matching If-None-Match answers 304; a new update changes the ETag")
  void etag() {
    status.api().record(mission, "comms", "NOMINAL", "ok");
    HttpResponse<Buffer> first = rollup("", null);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("W/\"");
    HttpResponse<Buffer> again = rollup("", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isNull();
    assertThat(rollup("", "\"something-else\", " + etag).statusCode()).as("a list of ETags, one matching").isEqualTo(304);
    status.api().record(mission, "comms", "WATCH", "noise");
    HttpResponse<Buffer> changed = rollup("", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    assertThat(changed.bodyAsJsonObject().getString("level")).isEqualTo("WATCH");
  }

  @Test
  @DisplayName("A silent subsystem turns stale after expectedReportSeconds x tolerance: never NOMINAL, and the ETag changes")
  void staleness() {
    status.api().record(mission, "comms", "NOMINAL", "ok");
    status.api().record(mission, "power", "NOMINAL", "ok");
    HttpResponse<Buffer> fresh = rollup("", null);
    assertThat(fresh.bodyAsJsonObject().getString("level")).isEqualTo("NOMINAL");
    clock.advance(Duration.ofSeconds(90));
    status.api().record(mission, "power", "NOMINAL", "still ok");
    clock.advance(Duration.ofSeconds(40));
    HttpResponse<Buffer> later = rollup("", fresh.getHeader("ETag"));
    assertThat(later.statusCode()).isEqualTo(200);
    JsonObject rollup = later.bodyAsJsonObject();
    assertThat(rollup.getString("level")).as("silence is never NOMINAL").isEqualTo("WARNING");
    assertThat(rollup.getBoolean("stale")).isTrue();
    JsonObject comms = rollup.getJsonArray("subsystems").getJsonObject(0);
    assertThat(comms.getBoolean("stale")).isTrue();
    assertThat(comms.getString("level")).isEqualTo("NOMINAL");
    assertThat(comms.getString("effectiveLevel")).isEqualTo("WARNING");
    assertThat(comms.getLong("ageSeconds")).isBetween(129L, 135L);
    assertThat(rollup.getJsonArray("subsystems").getJsonObject(1).getBoolean("stale")).isFalse();

    status.api().patch("/api/v1/missions/" + mission, new JsonObject().put("phase", "COMPLETE"));
    assertThat(rollup("", null).bodyAsJsonObject().getBoolean("stale")).as("a completed mission is not expected to report").isFalse();
  }

  @Test
  @DisplayName("A long-poll with the current ETag returns as soon as an update is recorded")
  void longPollWakesOnUpdate() {
    status.api().record(mission, "comms", "NOMINAL", "ok");
    String etag = rollup("", null).getHeader("ETag");
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> held = status.api().request(HttpMethod.GET, "/api/v1/missions/" + mission + "/status?wait=30")
      .putHeader("If-None-Match", etag).send();
    status.vertx().setTimer(300, id -> status.api().request(HttpMethod.POST, "/api/v1/missions/" + mission + "/updates")
      .sendJsonObject(new JsonObject().put("subsystem", "comms").put("level", "CRITICAL").put("message", "lost lock")));
    HttpResponse<Buffer> response = held.await();
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("level")).isEqualTo("CRITICAL");
    assertThat(tookMillis).as("answered at the update, not at the end of the wait").isBetween(250L, 5000L);
  }

  @Test
  @DisplayName("A long-poll without an ETag waits for the next update; one whose wait runs out answers 304")
  void longPollVariants() {
    status.api().record(mission, "comms", "NOMINAL", "ok");
    Future<HttpResponse<Buffer>> held = status.api().request(HttpMethod.GET, "/api/v1/missions/" + mission + "/status?wait=30").send();
    status.vertx().setTimer(300, id -> status.api().request(HttpMethod.POST, "/api/v1/missions/" + mission + "/updates")
      .sendJsonObject(new JsonObject().put("subsystem", "power").put("level", "WATCH").put("message", "dip")));
    JsonObject rollup = held.await().bodyAsJsonObject();
    assertThat(rollup.getJsonArray("subsystems")).hasSize(2);

    String etag = rollup("", null).getHeader("ETag");
    long started = System.nanoTime();
    HttpResponse<Buffer> timedOut = rollup("?wait=1", etag);
    assertThat(timedOut.statusCode()).isEqualTo(304);
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 3000L);
    assertThat(rollup("?wait=30", "W/\"old\"").statusCode()).as("a stale ETag is answered at once").isEqualTo(200);
  }

  @Test
  @DisplayName("A long-poll is answered when a subsystem turns stale, with no update at all")
  void longPollWakesOnStaleness() {
    status.api().patch("/api/v1/missions/" + mission, new JsonObject().put("expectedReportSeconds", 1));
    status.api().record(mission, "comms", "NOMINAL", "ok");
    HttpResponse<Buffer> fresh = rollup("", null);
    assertThat(fresh.bodyAsJsonObject().getBoolean("stale")).isFalse();
    HttpResponse<Buffer> held = rollup("?wait=20", fresh.getHeader("ETag"));
    assertThat(held.statusCode()).isEqualTo(200);
    assertThat(held.bodyAsJsonObject().getBoolean("stale")).isTrue();
  }

  @Test
  @DisplayName("The rollup of an unknown mission is a 404")
  void unknown() {
    StatusApi.problem(status.api().get("/api/v1/missions/nowhere/status"), 404);
  }
}
