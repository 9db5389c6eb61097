package space.mission.status;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static Vertx vertx;
  static StatusHarness open;
  static StatusHarness closed;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    open = StatusHarness.start(vertx, db.url());
    closed = StatusHarness.start(vertx, db.url(), Clock.systemUTC(), Map.of("MC_API_READS_REQUIRE_TOKEN", "true"));
  }

  @AfterAll
  static void stop() {
    open.stop();
    closed.stop();
    vertx.close().await();
  }

  private static WebClient anonymous(StatusHarness harness) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(harness.verticle.port()));
  }

  @Test
  @DisplayName("A write without a token is a 401 with a Bearer challenge; with a wrong token, a 401 naming invalid_token")
  void writesNeedToken() {
    WebClient client = anonymous(open);
    JsonObject mission = new JsonObject().put("name", "Unauthorized");
    HttpResponse<Buffer> missing = client.post("/api/v1/missions").sendJsonObject(mission).await();
    assertThat(StatusApi.problem(missing, 401).getString("detail")).contains("Authorization");
    assertThat(missing.getHeader("WWW-Authenticate")).startsWith("Bearer");

    HttpResponse<Buffer> wrong = client.post("/api/v1/missions").putHeader("Authorization", "Bearer not-the-token-000000")
      .sendJsonObject(mission).await();
    StatusApi.problem(wrong, 401);
    assertThat(wrong.getHeader("WWW-Authenticate")).contains("invalid_token");

    HttpResponse<Buffer> basic = client.post("/api/v1/missions").putHeader("Authorization", "Basic dXNlcjpwYXNz")
      .sendJsonObject(mission).await();
    assertThat(StatusApi.problem(basic, 401).getString("detail")).contains("Bearer");

    HttpResponse<Buffer> badBody = client.post("/api/v1/missions").sendBuffer(Buffer.buffer("{not json")).await();
    assertThat(badBody.statusCode()).as("the token is checked before the body is looked at").isEqualTo(401);
    client.close();
  }

  @Test
  @DisplayName("Reads are open by default; with readsRequireToken they need the token, but probes stay open")
  void reads() {
    open.api.createMission(new JsonObject().put("name", "Readable").put("id", "readable"));
    WebClient toOpen = anonymous(open);
    assertThat(toOpen.get("/api/v1/missions/readable").send().await().statusCode()).isEqualTo(200);
    toOpen.close();

    WebClient toClosed = anonymous(closed);
    StatusApi.problem(toClosed.get("/api/v1/missions/readable").send().await(), 401);
    assertThat(closed.api.request(io.vertx.core.http.HttpMethod.GET, "/api/v1/missions/readable").send().await().statusCode()).isEqualTo(200);
    assertThat(toClosed.get("/health/live").send().await().statusCode()).isEqualTo(200);
    assertThat(toClosed.get("/health/ready").send().await().statusCode()).isEqualTo(200);
    assertThat(toClosed.get("/metrics").send().await().statusCode()).isEqualTo(200);
    assertThat(toClosed.get("/openapi.yaml").send().await().statusCode()).isEqualTo(200);
    toClosed.close();
  }
}
