package space.mission.status;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert and backup endpoints as the status role alone serves them: requests are checked here
 * before the other role is asked, and without that role the answer is a 503 that says so. The
 * answers of running alert and backup roles are tested with the roles together, in the launcher's tests.
 */
class AbsentRolesApiTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  @Test
  @DisplayName("Without an alert role every alert endpoint answers 503 naming the missing role")
  void noAlertRole() {
    JsonObject problem = StatusApi.problem(status.api().get("/api/v1/alerts"), 503);
    assertThat(problem.getString("detail")).contains("not running or not reachable");
    StatusApi.problem(status.api().get("/api/v1/alerts/history"), 503);
    StatusApi.problem(status.api().get("/api/v1/alerts/silences"), 503);
    StatusApi.problem(status.api().post("/api/v1/alerts/0123456789abcdef/ack", new JsonObject().put("by", "ops")), 503);
  }

  @Test
  @DisplayName("Without a backup role the backup endpoints answer 503; malformed requests get a 400 or 401 first")
  void noBackupRole() {
    assertThat(StatusApi.problem(status.api().get("/api/v1/backups"), 503).getString("detail")).contains("not running or not reachable");
    StatusApi.problem(status.api().post("/api/v1/backups", new JsonObject()), 503);
    StatusApi.problem(status.api().request(HttpMethod.POST, "/api/v1/backups").send().await(), 503);
    StatusApi.problem(status.api().get("/api/v1/backups/20261122T060000Z-00aa"), 503);
    StatusApi.problem(status.api().get("/api/v1/backups/latest"), 400);
    StatusApi.problem(status.api().post("/api/v1/backups", new JsonObject().put("when", "now")), 400);
    WebClient anonymous = WebClient.create(status.vertx());
    StatusApi.problem(anonymous.post(status.verticle().port(), "127.0.0.1", "/api/v1/backups").send().await(), 401);
    anonymous.close();
  }

  @Test
  @DisplayName("Malformed alert requests get a 400 or 401 before the alert role is asked")
  void badRequests() {
    JsonObject silence = new JsonObject().put("matchers", new JsonArray().add(new JsonObject().put("label", "rule").put("value", "cpu-high")))
      .put("author", "ops").put("comment", "maintenance");
    assertThat(StatusApi.problem(status.api().post("/api/v1/alerts/silences", silence), 400).getString("detail")).contains("duration");
    StatusApi.problem(status.api().post("/api/v1/alerts/silences", silence.copy().put("duration", "PT1H").put("colour", "red")), 400);
    StatusApi.problem(status.api().post("/api/v1/alerts/silences", silence.copy().put("duration", "PT1H").put("matchers", new JsonArray())), 400);
    StatusApi.problem(status.api().post("/api/v1/alerts/0123456789abcdef/ack", new JsonObject()), 400);
    StatusApi.problem(status.api().post("/api/v1/alerts/not-a-fingerprint/ack", new JsonObject().put("by", "ops")), 400);
    StatusApi.problem(status.api().get("/api/v1/alerts/history?limit=0"), 400);
    StatusApi.problem(status.api().get("/api/v1/alerts/history?cursor=garbage"), 400);
    StatusApi.problem(status.api().request(HttpMethod.DELETE, "/api/v1/alerts/silences/xyz").send().await(), 400);
    WebClient anonymous = WebClient.create(status.vertx());
    StatusApi.problem(anonymous.delete(status.verticle().port(), "127.0.0.1", "/api/v1/alerts/silences/00000000-0000-0000-0000-000000000000")
      .send().await(), 401);
    StatusApi.problem(anonymous.post(status.verticle().port(), "127.0.0.1", "/api/v1/alerts/0123456789abcdef/ack")
      .sendJsonObject(new JsonObject().put("by", "ops")).await(), 401);
    anonymous.close();
  }
}
