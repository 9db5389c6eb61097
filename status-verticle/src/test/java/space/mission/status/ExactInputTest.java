package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import space.mission.testkit.FreshDatabase;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract is what the code accepts, and what is acknowledged is exactly what is stored: the
 * edges where Java, JSON Schema and MariaDB disagree (anchors, media types, UTF-8, surrogates,
 * number range, nesting depth, date range, the order of checks).
 */
class ExactInputTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  static WebClient anonymous;
  static final String UPDATES = "/api/v1/missions/exact-1/updates";

  @BeforeAll
  static void start() {
    status.api().createMission(new JsonObject().put("name", "Exact").put("id", "exact-1"));
    anonymous = WebClient.create(status.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(status.verticle().port()));
  }

  @AfterAll
  static void stop() {
    anonymous.close();
  }

  private static JsonObject update() {
    return new JsonObject().put("subsystem", "comms").put("level", "NOMINAL").put("message", "ok");
  }

  private static HttpResponse<Buffer> post(String path, String contentType, byte[] body) {
    return status.api().request(HttpMethod.POST, path).putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)).await();
  }

  private static HttpResponse<Buffer> post(String path, String body) {
    return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("Patterns are anchored as in JSON Schema: a trailing newline matches no $ in bodies, paths and queries")
  void trailingNewlines() {
    assertThat(StatusApi.problem(status.api().post("/api/v1/missions", new JsonObject().put("name", "NL").put("id", "nl\n")), 400)
      .encode()).contains("/id");
    assertThat(StatusApi.problem(status.api().post(UPDATES, update().put("subsystem", "comms\n")), 400).encode()).contains("/subsystem");
    StatusApi.problem(status.api().get("/api/v1/system/resources/history?host=x%0A"), 400);
    StatusApi.problem(status.api().get("/api/v1/missions/exact-1%0A"), 400);
    assertThat(status.api().get("/api/v1/missions/exact-1").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} is JSON")
  @ValueSource(strings = {"application/json", "APPLICATION/JSON", "Application/Json; charset=UTF-8", "application/json;charset=\"utf-8\""})
  @DisplayName("Media types compare case-insensitively")
  void jsonInAnyCase(String contentType) {
    assertThat(post(UPDATES, contentType, update().encode().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
  }

  @ParameterizedTest(name = "{0} is a 415")
  @ValueSource(strings = {"application/jsonx", "application/json-seq", "multipart/form-data; boundary=x", "text/json",
    "application/json; charset=latin1"})
  @DisplayName("Media types that are not application/json are refused")
  void notJson(String contentType) {
    StatusApi.problem(post(UPDATES, contentType, update().encode().getBytes(StandardCharsets.UTF_8)), 415);
  }

  @ParameterizedTest(name = "bytes {0} are refused")
  @ValueSource(strings = {"eda080", "c080", "f4908080", "ff"})
  @DisplayName("Bytes that are not UTF-8 are refused, not stored mangled")
  void invalidUtf8(String hex) {
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    byte[] head = "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bad, 0, body, head.length, bad.length);
    System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
    assertThat(StatusApi.problem(post(UPDATES, "application/json", body), 400).getString("detail")).contains("UTF-8");
  }

  @Test
  @DisplayName("An unpaired surrogate escape and a number beyond a double are refused, naming the field")
  void unstorableValues() {
    assertThat(StatusApi.problem(post(UPDATES, "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"a\\ud800b\"}"), 400)
      .getString("detail")).contains("/message").contains("surrogate");
    assertThat(StatusApi.problem(post(UPDATES, "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"m\",\"telemetry\":{\"t\":1e309}}"),
      400).getString("detail")).contains("/telemetry/t");
    assertThat(StatusApi.problem(post(UPDATES, "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"m\",\"telemetry\":{\"\\udc00\":1}}"),
      400).getString("detail")).contains("/telemetry");
  }

  @Test
  @DisplayName("A 4-byte character, a paired surrogate escape and the largest double are stored and read back exactly")
  void exactValuesReadBack() {
    String body = "{\"subsystem\":\"comms\",\"level\":\"NOMINAL\",\"message\":\"\uD83D\uDE80 \\ud83d\\ude80\",\"telemetry\":{\"max\":1.7976931348623157e308}}";
    HttpResponse<Buffer> created = post(UPDATES, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject read = status.api().get(created.getHeader("Location")).bodyAsJsonObject();
    assertThat(read.getString("message")).isEqualTo("\uD83D\uDE80 \uD83D\uDE80");
    assertThat(read.getJsonObject("telemetry").getDouble("max")).isEqualTo(Double.MAX_VALUE);
    assertThat(created.bodyAsJsonObject().getString("message")).isEqualTo(read.getString("message"));
  }

  private static JsonObject nested(int depth) {
    JsonObject inner = new JsonObject().put("v", 1);
    for (int i = 1; i < depth; i++) {
      inner = new JsonObject().put("n", inner);
    }
    return inner;
  }

  @Test
  @DisplayName("Telemetry nested 31 levels is stored; 32 is a 400 that says so, not a 500")
  void nestingDepth() {
    HttpResponse<Buffer> deepest = status.api().post(UPDATES, update().put("telemetry", nested(31)));
    assertThat(deepest.statusCode()).as(deepest.bodyAsString()).isEqualTo(201);
    assertThat(status.api().get(deepest.getHeader("Location")).bodyAsJsonObject().getJsonObject("telemetry")).isEqualTo(nested(31));
    assertThat(StatusApi.problem(status.api().post(UPDATES, update().put("telemetry", nested(32))), 400).getString("detail"))
      .contains("nests deeper than 32");
  }

  @Test
  @DisplayName("A reportedAt the database cannot store is refused; the extremes it can store are kept")
  void dateRange() {
    assertThat(StatusApi.problem(status.api().post(UPDATES, update().put("reportedAt", "9999-12-31T23:30:00-05:00")), 400)
      .getString("detail")).contains("reportedAt");
    StatusApi.problem(status.api().post(UPDATES, update().put("reportedAt", "0999-12-31T23:59:59Z")), 400);
    HttpResponse<Buffer> latest = status.api().post(UPDATES, update().put("reportedAt", "9999-12-31T23:59:59Z"));
    assertThat(latest.statusCode()).as(latest.bodyAsString()).isEqualTo(201);
    assertThat(status.api().get(latest.getHeader("Location")).bodyAsJsonObject().getString("reportedAt")).isEqualTo("9999-12-31T23:59:59Z");
  }

  static final String ROCKET = "\uD83D\uDE80";

  @Test
  @DisplayName("Every column the status role writes holds the contract's largest value, in 4-byte characters where text is free")
  void largestValuesAreStored() {
    String id = "m" + "-".repeat(62) + "x";
    JsonObject mission = new JsonObject().put("id", id).put("name", ROCKET.repeat(200)).put("destination", ROCKET.repeat(200))
      .put("expectedReportSeconds", 31_536_000);
    HttpResponse<Buffer> created = status.api().post("/api/v1/missions", mission);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject read = status.api().get("/api/v1/missions/" + id).bodyAsJsonObject();
    for (String field : mission.fieldNames()) {
      assertThat(read.getValue(field)).as(field).isEqualTo(mission.getValue(field));
    }
    JsonObject update = new JsonObject().put("subsystem", "s".repeat(32)).put("level", "WARNING").put("message", ROCKET.repeat(2000))
      .put("telemetry", new JsonObject().put(ROCKET.repeat(100), ROCKET.repeat(1000)));
    String key = "~".repeat(64);
    HttpResponse<Buffer> recorded = status.api().request(HttpMethod.POST, "/api/v1/missions/" + id + "/updates")
      .putHeader("Idempotency-Key", key).sendJsonObject(update).await();
    assertThat(recorded.statusCode()).as(recorded.bodyAsString()).isEqualTo(201);
    JsonObject stored = status.api().get(recorded.getHeader("Location")).bodyAsJsonObject();
    for (String field : update.fieldNames()) {
      assertThat(stored.getValue(field)).as(field).isEqualTo(update.getValue(field));
    }
    HttpResponse<Buffer> repeat = status.api().request(HttpMethod.POST, "/api/v1/missions/" + id + "/updates")
      .putHeader("Idempotency-Key", key).sendJsonObject(update).await();
    assertThat(repeat.statusCode()).as("the 64-character key was stored whole").isEqualTo(200);
  }

  @Test
  @DisplayName("Without a token, a body over the limit is a 401: the token is checked before the body is read")
  void tokenBeforeBody() {
    HttpResponse<Buffer> response = anonymous.post(UPDATES).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("x".repeat(100_000))).await();
    StatusApi.problem(response, 401);
  }
}
