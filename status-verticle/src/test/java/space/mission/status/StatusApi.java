package space.mission.status;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** A small client for the status API in tests: blocking calls (tests run on their own thread), authenticated writes. */
public final class StatusApi {

  public static final String TOKEN = "test-token-0123456789abcdef";

  private final WebClient client;

  public StatusApi(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true));
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path).putHeader("Authorization", "Bearer " + TOKEN);
  }

  public HttpResponse<Buffer> get(String path) {
    return client.get(path).send().await();
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return request(HttpMethod.POST, path).sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> patch(String path, JsonObject body) {
    return request(HttpMethod.PATCH, path).sendJsonObject(body).await();
  }

  public JsonObject createMission(JsonObject body) {
    HttpResponse<Buffer> response = post("/api/v1/missions", body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  public JsonObject record(String missionId, String subsystem, String level, String message) {
    HttpResponse<Buffer> response = post("/api/v1/missions/" + missionId + "/updates",
      new JsonObject().put("subsystem", subsystem).put("level", level).put("message", message));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** Asserts a problem+json answer with {@code status} and returns its body. */
  public static JsonObject problem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = response.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("urn:mission-control:problem:");
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    return problem;
  }

  public void close() {
    client.close();
  }
}
