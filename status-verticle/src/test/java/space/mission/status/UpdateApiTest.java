package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.StatusUpdate;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.TestDatabase;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class UpdateApiTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  @BeforeEach
  void mission() {
    db.truncate("status_updates", "missions");
    status.api().createMission(new JsonObject().put("name", "Voyager 3").put("id", "voyager-3"));
  }

  @Test
  @DisplayName("Recording an update answers 201 with Location and the stored update, and publishes exactly it on mission.status.update")
  void record() throws Exception {
    CompletableFuture<StatusUpdate> published = new CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = status.vertx().eventBus().consumer(Addresses.STATUS_UPDATE,
      message -> published.complete(StatusUpdate.fromJson(message.body())));
    consumer.completion().await();
    try {
      JsonObject body = new JsonObject().put("subsystem", "comms").put("level", "WARNING").put("message", "bit error rate rising")
        .put("telemetry", new JsonObject().put("ber", 0.0001).put("antenna", new JsonObject().put("pointingErrorDeg", 0.2)))
        .put("reportedAt", "2026-11-21T23:00:00.123456+01:00");
      HttpResponse<Buffer> response = status.api().post("/api/v1/missions/voyager-3/updates", body);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      JsonObject update = response.bodyAsJsonObject();
      assertThat(update.getLong("id")).isPositive();
      assertThat(update.getString("reportedAt")).isEqualTo("2026-11-21T22:00:00.123456Z");
      assertThat(update.getJsonObject("telemetry")).isEqualTo(body.getJsonObject("telemetry"));
      assertThat(update.getString("recordedAt")).isNotBlank();
      assertThat(response.getHeader("Location")).isEqualTo("/api/v1/missions/voyager-3/updates/" + update.getLong("id"));

      StatusUpdate event = published.get(5, TimeUnit.SECONDS);
      assertThat(event.toJson().copy().put("v", 1)).isEqualTo(update.copy().put("v", 1));

      JsonObject read = status.api().get(response.getHeader("Location")).bodyAsJsonObject();
      assertThat(read).as("what is read back is what was answered").isEqualTo(update);
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  @DisplayName("History is newest first and paginated; filters by subsystem and level; after=<id> catches up oldest first")
  void history() {
    List<Long> ids = new ArrayList<>();
    String[] subsystems = {"comms", "propulsion", "life-support"};
    String[] levels = {"NOMINAL", "WATCH", "WARNING", "CRITICAL"};
    for (int i = 0; i < 12; i++) {
      ids.add(status.api().record("voyager-3", subsystems[i % 3], levels[i % 4], "report " + i).getLong("id"));
    }
    List<Long> newestFirst = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = status.api().get("/api/v1/missions/voyager-3/updates?limit=5" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
      page.getJsonArray("items").forEach(item -> newestFirst.add(((JsonObject) item).getLong("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    List<Long> expected = new ArrayList<>(ids);
    java.util.Collections.reverse(expected);
    assertThat(newestFirst).isEqualTo(expected);

    JsonArray comms = status.api().get("/api/v1/missions/voyager-3/updates?subsystem=comms").bodyAsJsonObject().getJsonArray("items");
    assertThat(comms).hasSize(4).allSatisfy(item -> assertThat(((JsonObject) item).getString("subsystem")).isEqualTo("comms"));
    JsonArray critical = status.api().get("/api/v1/missions/voyager-3/updates?level=CRITICAL&subsystem=life-support").bodyAsJsonObject().getJsonArray("items");
    assertThat(critical).hasSize(1);

    JsonObject after = status.api().get("/api/v1/missions/voyager-3/updates?after=" + ids.get(6) + "&limit=3").bodyAsJsonObject();
    assertThat(after.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("id")).toList()).isEqualTo(ids.subList(7, 10));
    JsonObject rest = status.api().get("/api/v1/missions/voyager-3/updates?limit=3&cursor=" + after.getString("nextCursor")).bodyAsJsonObject();
    assertThat(rest.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("id")).toList()).isEqualTo(ids.subList(10, 12));
    assertThat(rest.getString("nextCursor")).isNull();
    JsonObject caughtUp = status.api().get("/api/v1/missions/voyager-3/updates?after=" + ids.get(11)).bodyAsJsonObject();
    assertThat(caughtUp.getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("A repeated Idempotency-Key answers 200 with the update first recorded; reused for another update it is a 422")
  void idempotency() {
    JsonObject body = new JsonObject().put("subsystem", "power").put("level", "NOMINAL").put("message", "RTG output steady");
    HttpResponse<Buffer> first = status.api().request(HttpMethod.POST, "/api/v1/missions/voyager-3/updates")
      .putHeader("Idempotency-Key", "12345").sendJsonObject(body).await();
    HttpResponse<Buffer> again = status.api().request(HttpMethod.POST, "/api/v1/missions/voyager-3/updates")
      .putHeader("Idempotency-Key", "12345").sendJsonObject(body).await();
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    HttpResponse<Buffer> other = status.api().request(HttpMethod.POST, "/api/v1/missions/voyager-3/updates")
      .putHeader("Idempotency-Key", "12345").sendJsonObject(body.copy().put("level", "WATCH")).await();
    StatusApi.problem(other, 422);
    assertThat(status.api().get("/api/v1/missions/voyager-3/updates").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("Concurrent requests are grouped into shared commits; every one is answered once committed, with its own id")
  void groupCommit() throws Exception {
    int requests = 300;
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      responses.add(status.api().request(HttpMethod.POST, "/api/v1/missions/voyager-3/updates")
        .sendJsonObject(new JsonObject().put("subsystem", "s" + (i % 10)).put("level", "NOMINAL").put("message", "m" + i)));
    }
    Future.all(responses).await();
    Set<Long> ids = new HashSet<>();
    for (Future<HttpResponse<Buffer>> response : responses) {
      assertThat(response.result().statusCode()).isEqualTo(201);
      ids.add(response.result().bodyAsJsonObject().getLong("id"));
    }
    assertThat(ids).hasSize(requests);
    try (var connection = DriverManager.getConnection(db.url().jdbcUrl(), db.url().jdbcProperties());
         ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM status_updates")) {
      rows.next();
      assertThat(rows.getInt(1)).as("every acknowledged update is in the database").isEqualTo(requests);
    }
    double largestBatch = MissionMetrics.of(status.vertx()).registry().get("mission.status.writes.batch.size").summary().max();
    assertThat(largestBatch).as("concurrent updates share commits").isGreaterThan(1);
  }

  @Test
  @DisplayName("Mission ids that look like numbers or keywords are still ids (path parameters stay strings)")
  void numericIds() {
    status.api().createMission(new JsonObject().put("name", "Launch year").put("id", "1977"));
    status.api().createMission(new JsonObject().put("name", "Nothing").put("id", "null"));
    assertThat(status.api().record("1977", "comms", "NOMINAL", "ok").getString("missionId")).isEqualTo("1977");
    assertThat(status.api().get("/api/v1/missions/null").statusCode()).isEqualTo(200);
    assertThat(status.api().get("/api/v1/missions/1977/updates?subsystem=comms").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("An update or a history of an unknown mission is a 404; an unknown update id is a 404")
  void unknown() {
    StatusApi.problem(status.api().post("/api/v1/missions/nowhere/updates",
      new JsonObject().put("subsystem", "comms").put("level", "NOMINAL").put("message", "hello")), 404);
    StatusApi.problem(status.api().get("/api/v1/missions/nowhere/updates"), 404);
    StatusApi.problem(status.api().get("/api/v1/missions/voyager-3/updates/999999"), 404);
    assertThat(TestDatabase.server()).isNotNull();
  }
}
