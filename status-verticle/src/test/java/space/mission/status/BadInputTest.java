package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import space.mission.testkit.FreshDatabase;

import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every class of bad input gets a 4xx problem+json that says what was wrong; none gets a 500. */
class BadInputTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db);

  static WebClient raw;

  static final String UPDATES = "/api/v1/missions/voyager-3/updates";

  @BeforeAll
  static void start() {
    raw = WebClient.create(status.vertx());
    status.api().createMission(new JsonObject().put("name", "Voyager 3").put("id", "voyager-3"));
  }

  @AfterAll
  static void stop() {
    raw.close();
  }

  static JsonObject update() {
    return new JsonObject().put("subsystem", "comms").put("level", "NOMINAL").put("message", "ok");
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
      arguments("malformed JSON", UPDATES, "{\"subsystem\": \"comms\", ", 400, "malformed-json", null),
      arguments("a JSON array instead of an object", UPDATES, "[1, 2]", 400, "invalid-request", null),
      arguments("a wrong type", UPDATES, update().put("level", 5).encode(), 400, "invalid-request", "/level"),
      arguments("an unknown field", UPDATES, update().put("colour", "red").encode(), 400, "invalid-request", "colour"),
      arguments("an invalid level", UPDATES, update().put("level", "FINE").encode(), 400, "invalid-request", "/level"),
      arguments("a missing required field", UPDATES, update().copy().put("message", (String) null).encode(), 400, "invalid-request", null),
      arguments("an empty string", UPDATES, update().put("message", "").encode(), 400, "invalid-request", "/message"),
      arguments("an oversize string", UPDATES, update().put("message", "x".repeat(2001)).encode(), 400, "invalid-request", "/message"),
      arguments("a bad subsystem slug", UPDATES, update().put("subsystem", "Life Support").encode(), 400, "invalid-request", "/subsystem"),
      arguments("telemetry that is not an object", UPDATES, update().put("telemetry", "hot").encode(), 400, "invalid-request", "/telemetry"),
      arguments("a reportedAt that is not a date-time", UPDATES, update().put("reportedAt", "yesterday").encode(), 400, "invalid-request", "reportedAt"),
      arguments("an invalid phase", "/api/v1/missions", new JsonObject().put("name", "X").put("phase", "ORBITING").encode(), 400, "invalid-request", "/phase"),
      arguments("an empty mission name", "/api/v1/missions", new JsonObject().put("name", "").encode(), 400, "invalid-request", "/name"),
      arguments("an oversize mission name", "/api/v1/missions", new JsonObject().put("name", "n".repeat(201)).encode(), 400, "invalid-request", "/name"),
      arguments("a mission id that is not a slug", "/api/v1/missions", new JsonObject().put("name", "X").put("id", "Bad_Id").encode(), 400, "invalid-request", "/id"),
      arguments("an expectedReportSeconds of zero", "/api/v1/missions", new JsonObject().put("name", "X").put("expectedReportSeconds", 0).encode(), 400, "invalid-request", "/expectedReportSeconds"),
      arguments("a body over 64 KiB", UPDATES, update().put("telemetry", new JsonObject().put("blob", "x".repeat(70_000))).encode(), 413, "payload-too-large", null),
      arguments("no body at all", UPDATES, "", 400, "invalid-request", null));
  }

  @ParameterizedTest(name = "{0} is a {3}")
  @MethodSource("badBodies")
  @DisplayName("Bad request bodies")
  void badBodies(String what, String path, String body, int expected, String type, String mentions) {
    HttpResponse<Buffer> response = status.api().request(HttpMethod.POST, path).putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer(body)).await();
    JsonObject problem = StatusApi.problem(response, expected);
    assertThat(problem.getString("type")).endsWith(":" + type);
    if (mentions != null) {
      assertThat(problem.encode()).contains(mentions);
    }
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
      arguments("an unknown mission", HttpMethod.GET, "/api/v1/missions/nowhere/status", 404),
      arguments("a mission id that is not a slug", HttpMethod.GET, "/api/v1/missions/NOT_A_SLUG", 400),
      arguments("a limit of zero", HttpMethod.GET, "/api/v1/missions?limit=0", 400),
      arguments("a limit that is not a number", HttpMethod.GET, "/api/v1/missions?limit=many", 400),
      arguments("a limit above the maximum", HttpMethod.GET, UPDATES + "?limit=1000", 400),
      arguments("a garbage cursor", HttpMethod.GET, "/api/v1/missions?cursor=bm90LWEtY3Vyc29y", 400),
      arguments("a cursor that is not base64url", HttpMethod.GET, "/api/v1/missions?cursor=%21%21", 400),
      arguments("an after that is negative", HttpMethod.GET, UPDATES + "?after=-5", 400),
      arguments("an unknown level filter", HttpMethod.GET, UPDATES + "?level=FINE", 400),
      arguments("a wait beyond 60 seconds", HttpMethod.GET, "/api/v1/missions/voyager-3/status?wait=61", 400),
      arguments("an update id that is not a number", HttpMethod.GET, UPDATES + "/abc", 400),
      arguments("an unknown path", HttpMethod.GET, "/api/v1/galaxies", 404),
      arguments("a method the path does not allow", HttpMethod.DELETE, "/api/v1/missions", 405));
  }

  @ParameterizedTest(name = "{0} is a {3}")
  @MethodSource("badRequests")
  @DisplayName("Bad parameters, paths and methods")
  void badRequests(String what, HttpMethod method, String path, int expected) {
    StatusApi.problem(status.api().request(method, path).send().await(), expected);
  }

  @Test
  @DisplayName("A cursor from another list is refused, naming the problem")
  void foreignCursor() {
    status.api().createMission(new JsonObject().put("name", "A"));
    status.api().createMission(new JsonObject().put("name", "B"));
    String missionsCursor = status.api().get("/api/v1/missions?limit=1").bodyAsJsonObject().getString("nextCursor");
    assertThat(StatusApi.problem(status.api().get(UPDATES + "?cursor=" + missionsCursor), 400).getString("detail")).contains("another list");
    assertThat(StatusApi.problem(status.api().get(UPDATES + "?cursor=" + missionsCursor + "&after=3"), 400).getString("detail")).contains("either");
  }

  @Test
  @DisplayName("A body that is not JSON is a 415")
  void wrongMediaType() {
    HttpResponse<Buffer> response = status.api().request(HttpMethod.POST, UPDATES).putHeader("Content-Type", "text/plain")
      .sendBuffer(Buffer.buffer("comms NOMINAL ok")).await();
    StatusApi.problem(response, 415);
  }

  @Test
  @DisplayName("Validation problems list each error with its location")
  void errorList() {
    HttpResponse<Buffer> response = status.api().post(UPDATES, new JsonObject().put("subsystem", "comms").put("level", "LOUD").put("message", ""));
    JsonArray errors = StatusApi.problem(response, 400).getJsonArray("errors");
    assertThat(errors).isNotEmpty();
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("location"))).containsExactlyInAnyOrder("/level", "/message");
    HttpResponse<Buffer> unknown = status.api().post(UPDATES, new JsonObject().put("subsystem", "comms").put("level", "NOMINAL").put("message", "m").put("colour", 1));
    JsonObject problem = StatusApi.problem(unknown, 400);
    assertThat(problem.getString("detail")).isEqualTo("the request body is invalid: /colour: unknown field \"colour\" (not in the schema)");
  }

  @Test
  @DisplayName("An empty PATCH is refused")
  void emptyPatch() {
    StatusApi.problem(status.api().patch("/api/v1/missions/voyager-3", new JsonObject()), 400);
  }

  @Test
  @DisplayName("No input produces a 500: random bodies, types and headers against every write")
  void noFiveHundreds() {
    Random random = new Random(20261122);
    String[] paths = {UPDATES, "/api/v1/missions", "/api/v1/missions/voyager-3"};
    HttpMethod[] methods = {HttpMethod.POST, HttpMethod.POST, HttpMethod.PATCH};
    String[] fragments = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"level\"", "\"CRITICAL\"",
      "\"subsystem\"", "\"comms\"", "\"message\"", "\"\\u0000\"", "\"phase\"", "{\"a\":{\"b\":[]}}", "\uD83D\uDE80", "\\"};
    String[] contentTypes = {"application/json", "application/json; charset=utf-8", "text/plain", "application/xml", null};
    for (int i = 0; i < 300; i++) {
      int target = random.nextInt(paths.length);
      StringBuilder body = new StringBuilder();
      for (int j = random.nextInt(12); j > 0; j--) {
        body.append(fragments[random.nextInt(fragments.length)]);
      }
      HttpRequest<Buffer> request = status.api().request(methods[target], paths[target]);
      String type = contentTypes[random.nextInt(contentTypes.length)];
      if (type != null) {
        request.putHeader("Content-Type", type);
      }
      if (random.nextInt(5) == 0) {
        request.putHeader("Idempotency-Key", "k\"" + i);
      }
      HttpResponse<Buffer> response = request.sendBuffer(Buffer.buffer(body.toString())).await();
      assertThat(response.statusCode()).as("%s %s with %s", methods[target], paths[target], body).isLessThan(500);
      if (response.statusCode() >= 400) {
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
      }
    }
  }
}
