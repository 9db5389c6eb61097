package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.runtime.MissionVertx;
import space.mission.runtime.cluster.ClusterSettings;
import space.mission.testkit.FreshDatabase;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness, readiness and metrics, on a Vert.x built as the launcher builds it (with Micrometer). */
class OperationsApiTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db)
    .onVertx(() -> MissionVertx.start(new ClusterSettings(false, "unused", List.of(), 5701, Optional.empty(), Optional.empty())));

  @Test
  @DisplayName("Liveness and readiness answer UP with the database check")
  void health() {
    HttpResponse<Buffer> live = status.api().get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    JsonObject ready = status.api().get("/health/ready").bodyAsJsonObject();
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(ready.getJsonArray("checks").getJsonObject(0).getString("id")).isEqualTo("status.database");
  }

  @Test
  @DisplayName("/metrics is Prometheus text with Vert.x's HTTP metrics by route and the status role's own meters")
  void metrics() {
    status.api().createMission(new JsonObject().put("name", "Metered").put("id", "metered"));
    status.api().record("metered", "comms", "NOMINAL", "ok");
    status.api().get("/api/v1/missions/metered/status");
    HttpResponse<Buffer> response = status.api().get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString())
      .contains("vertx_http_server_requests_total")
      .contains("route=\"/api/v1/missions/:missionId/status\"")
      .contains("mission_status_writes_batch_size_count")
      .contains("mission_status_database_up 1.0")
      .contains("mission_status_rollups_cached")
      .contains("jvm_memory_used_bytes");
  }
}
