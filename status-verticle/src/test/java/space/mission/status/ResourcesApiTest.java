package space.mission.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcesApiTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  private static ResourceReading reading(String host, Instant at, double cpu) {
    return new ResourceReading(host, "i-1", at, new ResourceReading.Cpu(cpu, List.of(cpu)), null,
      new ResourceReading.Memory(1, 2), new ResourceReading.Memory(0, 0),
      List.of(new ResourceReading.Disk("/", "ext4", 1, 4, 1, 8)), List.of(), 10, 100, 5);
  }

  @Test
  @DisplayName("The latest reading of every host, by host name; an older reading arriving late does not replace a newer one")
  void latestPerHost() throws Exception {
    // other tests' hosts may be there too: only the ground-* ones are looked at
    Instant now = Instant.now();
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("ground-2", now, 20).toJson());
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("ground-1", now.minusSeconds(5), 10).toJson());
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("ground-1", now, 11).toJson());
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("ground-1", now.minusSeconds(10), 9).toJson());
    JsonArray items = Await.value(Duration.ofSeconds(5), Duration.ofMillis(50),
      () -> status.api().get("/api/v1/system/resources").bodyAsJsonObject().getJsonArray("items"),
      found -> found.size() >= 2 && found.getJsonObject(0).getJsonObject("cpu").getDouble("usagePercent") == 11.0);
    assertThat(items.stream().map(item -> ((JsonObject) item).getString("host")).filter(host -> host.startsWith("ground-")).toList())
      .containsExactly("ground-1", "ground-2");
    JsonObject first = items.getJsonObject(0);
    assertThat(first.getJsonObject("cpu").getDouble("usagePercent")).isEqualTo(11.0);
    assertThat(first.containsKey("v")).isFalse();
    assertThat(first.getString("receivedAt")).isNotBlank();
    assertThat(first.getJsonArray("disks").getJsonObject(0).getString("mount")).isEqualTo("/");

    JsonArray one = status.api().get("/api/v1/system/resources?host=ground-2").bodyAsJsonObject().getJsonArray("items");
    assertThat(one).hasSize(1);
    StatusApi.problem(status.api().get("/api/v1/system/resources?host=no%20such%20host!"), 400);
  }

  @Test
  @DisplayName("The history holds each host's points as compact series, oldest first, within the window")
  void history() throws Exception {
    Instant now = Instant.now();
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("history-1", now.minusSeconds(2), 30).toJson());
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("history-1", now.minusSeconds(1), 40).toJson());
    status.vertx().eventBus().publish(Addresses.MONITOR_READING, reading("history-1", now.minus(Duration.ofMinutes(20)), 50).toJson());
    // both recent points, not only the first: the readings reach the history one by one
    JsonObject body = Await.value(Duration.ofSeconds(5), Duration.ofMillis(50),
      () -> status.api().get("/api/v1/system/resources/history?host=history-1").bodyAsJsonObject(),
      found -> !found.getJsonArray("items").isEmpty() && found.getJsonArray("items").getJsonObject(0).getJsonArray("points").size() >= 2);
    assertThat(body.getJsonArray("columns")).containsExactly("t", "cpu", "memory", "disk", "netIn", "netOut");
    JsonArray points = body.getJsonArray("items").getJsonObject(0).getJsonArray("points");
    // the reading 20 minutes old is outside the 15-minute window
    assertThat(points).hasSize(2);
    assertThat(points.getJsonArray(0).getLong(0)).isEqualTo(now.minusSeconds(2).toEpochMilli());
    assertThat(points.getJsonArray(0).getDouble(1)).isEqualTo(30.0);
    assertThat(points.getJsonArray(1).getDouble(1)).isEqualTo(40.0);
    assertThat(points.getJsonArray(1).getDouble(2)).isEqualTo(50.0);
    assertThat(points.getJsonArray(1).getDouble(3)).isEqualTo(25.0);
    StatusApi.problem(status.api().get("/api/v1/system/resources/history?host=bad%20host"), 400);
  }
}
