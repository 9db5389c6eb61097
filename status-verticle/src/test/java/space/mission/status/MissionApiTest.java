package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.Mission;
import space.mission.testkit.FreshDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MissionApiTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  @BeforeEach
  void empty() {
    db.truncate("status_updates", "missions");
  }

  @Test
  @DisplayName("Creating a mission answers 201 with Location, ETag and the stored mission, with defaults filled in")
  void create() {
    HttpResponse<Buffer> response = status.api().post("/api/v1/missions", new JsonObject().put("name", "Voyager 3").put("destination", "Proxima b"));
    assertThat(response.statusCode()).isEqualTo(201);
    JsonObject mission = response.bodyAsJsonObject();
    assertThat(mission.getString("id")).isEqualTo("voyager-3");
    assertThat(mission.getString("phase")).isEqualTo("PLANNED");
    assertThat(mission.getInteger("expectedReportSeconds")).isEqualTo(300);
    assertThat(mission.getInteger("version")).isEqualTo(1);
    assertThat(mission.containsKey("v")).as("the bus schema version stays off the HTTP API").isFalse();
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/missions/voyager-3");
    assertThat(response.getHeader("ETag")).isEqualTo("W/\"1\"");

    JsonObject read = status.api().get("/api/v1/missions/voyager-3").bodyAsJsonObject();
    assertThat(read).isEqualTo(mission);
  }

  @Test
  @DisplayName("Ids are made from names, unique even for equal names; an explicit id that is taken is a 409")
  void slugs() {
    assertThat(status.api().createMission(new JsonObject().put("name", "Ōumuamua Flyby!")).getString("id")).isEqualTo("oumuamua-flyby");
    assertThat(status.api().createMission(new JsonObject().put("name", "Oumuamua flyby")).getString("id")).isEqualTo("oumuamua-flyby-2");
    assertThat(status.api().createMission(new JsonObject().put("name", "***")).getString("id")).isEqualTo("mission");
    assertThat(status.api().createMission(new JsonObject().put("name", "Probe").put("id", "probe-7")).getString("id")).isEqualTo("probe-7");
    JsonObject problem = StatusApi.problem(status.api().post("/api/v1/missions", new JsonObject().put("name", "Other").put("id", "probe-7")), 409);
    assertThat(problem.getString("detail")).contains("probe-7");
  }

  @Test
  @DisplayName("The list is paginated with opaque cursors, oldest first, and every mission appears exactly once")
  void pagination() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(status.api().createMission(new JsonObject().put("name", "Mission " + i)).getString("id"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = status.api().get("/api/v1/missions?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
      JsonArray items = page.getJsonArray("items");
      items.forEach(item -> seen.add(((JsonObject) item).getString("id")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).isEqualTo(created);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  @DisplayName("PATCH changes fields, bumps the version and publishes the mission on the bus")
  void patch() throws Exception {
    status.api().createMission(new JsonObject().put("name", "Pioneer 12").put("destination", "Barnard's Star"));
    CompletableFuture<Mission> published = new CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = status.vertx().eventBus().consumer(Addresses.STATUS_MISSION,
      message -> published.complete(Mission.fromJson(message.body())));
    consumer.completion().await();
    try {
      HttpResponse<Buffer> response = status.api().patch("/api/v1/missions/pioneer-12",
        new JsonObject().put("phase", "LAUNCHED").put("destination", null).put("expectedReportSeconds", 60));
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject mission = response.bodyAsJsonObject();
      assertThat(mission.getString("phase")).isEqualTo("LAUNCHED");
      assertThat(mission.getValue("destination")).isNull();
      assertThat(mission.getInteger("expectedReportSeconds")).isEqualTo(60);
      assertThat(mission.getInteger("version")).isEqualTo(2);
      assertThat(response.getHeader("ETag")).isEqualTo("W/\"2\"");
      assertThat(published.get(5, TimeUnit.SECONDS).version()).isEqualTo(2);
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  @DisplayName("PATCH with a stale If-Match is a 412; phases only move forward and final phases stay final (409)")
  void patchRules() {
    status.api().createMission(new JsonObject().put("name", "Daedalus").put("phase", "CRUISE"));
    HttpResponse<Buffer> stale = status.api().request(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/missions/daedalus")
      .putHeader("If-Match", "W/\"7\"").sendJsonObject(new JsonObject().put("name", "Daedalus II")).await();
    StatusApi.problem(stale, 412);
    HttpResponse<Buffer> current = status.api().request(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/missions/daedalus")
      .putHeader("If-Match", "W/\"1\"").sendJsonObject(new JsonObject().put("name", "Daedalus II")).await();
    assertThat(current.statusCode()).isEqualTo(200);

    assertThat(StatusApi.problem(status.api().patch("/api/v1/missions/daedalus", new JsonObject().put("phase", "LAUNCHED")), 409)
      .getString("detail")).contains("CRUISE").contains("LAUNCHED");
    assertThat(status.api().patch("/api/v1/missions/daedalus", new JsonObject().put("phase", "LOST")).statusCode()).isEqualTo(200);
    assertThat(StatusApi.problem(status.api().patch("/api/v1/missions/daedalus", new JsonObject().put("phase", "COMPLETE")), 409)
      .getString("detail")).contains("final");
  }

  @Test
  @DisplayName("An unknown mission is a 404 problem naming it")
  void unknown() {
    assertThat(StatusApi.problem(status.api().get("/api/v1/missions/nowhere"), 404).getString("detail")).contains("nowhere");
    StatusApi.problem(status.api().patch("/api/v1/missions/nowhere", new JsonObject().put("name", "x")), 404);
  }
}
