package space.mission.status;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.RawHttp;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Errors the HTTP layer raises before any route sees the request, sent over raw sockets as no
 * well-behaved client would: each is answered application/problem+json with its own status and a
 * detail that says what was wrong, never an empty body.
 */
class HttpLayerProblemsTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db).with(Map.of("MC_HTTP_BODY_TIMEOUT", "1s"));

  static Stream<Arguments> badRequests() {
    String longPath = "/api/v1/missions/" + "a".repeat(5000);
    return Stream.of(
      arguments("a header over the limit", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n",
        431, "header-fields-too-large"),
      arguments("a URL over the limit", "GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri-too-long"),
      arguments("a URL over the limit, HTTP/1.0", "GET " + longPath + " HTTP/1.0\r\n\r\n", 414, "uri-too-long"),
      arguments("a request line that is not HTTP", "this is not http at all\r\n\r\n", 400, "malformed-request"),
      arguments("a version that is not a version", "GET /health/live HTXP/1.1\r\nHost: x\r\n\r\n", 400, "malformed-request"),
      arguments("HTTP/1.2", "GET /health/live HTTP/1.2\r\nHost: x\r\n\r\n", 505, "http-version-not-supported"),
      arguments("HTTP/3.0 on a plain connection", "GET /health/live HTTP/3.0\r\nHost: x\r\n\r\n", 505, "http-version-not-supported"),
      arguments("a header line without a colon", "GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400, "malformed-request"),
      arguments("a body declared over the limit", "POST /api/v1/missions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + StatusApi.TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", 413, "payload-too-large"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("badRequests")
  @DisplayName("Each error of the HTTP layer is problem+json")
  void problem(String what, String request, int expected, String type) throws Exception {
    try (RawHttp socket = RawHttp.connect(status.verticle().port())) {
      RawHttp.Response response = socket.send(request).read();
      assertProblem(response, expected, type);
    }
  }

  @Test
  @DisplayName("A body that does not arrive within the body deadline gets 408 problem+json and the connection is closed")
  void slowBody() throws Exception {
    try (RawHttp socket = RawHttp.connect(status.verticle().port())) {
      long started = System.nanoTime();
      RawHttp.Response response = socket.send("POST /api/v1/missions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + StatusApi.TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":").read();
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertProblem(response, 408, "request-timeout");
      assertThat(tookMillis).as("answered at the 1 s deadline, not before").isBetween(900L, 5_000L);
      assertThat(socket.closedWithin(2_000)).as("the connection is closed after a 408").isTrue();
    }
  }

  private static void assertProblem(RawHttp.Response response, int expected, String type) {
    assertThat(response.status()).as("%s", response).isEqualTo(expected);
    assertThat(response.header("Content-Type")).as("%s", response).isEqualTo("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getInteger("status")).isEqualTo(expected);
    assertThat(problem.getString("type")).isEqualTo("urn:mission-control:problem:" + type);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
  }
}
