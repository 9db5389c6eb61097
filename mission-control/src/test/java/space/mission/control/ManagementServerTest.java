package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.runtime.http.HttpEdgeSettings;
import space.mission.testkit.RawHttp;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The management server has the status API's edge too: problem+json for HTTP-layer errors, deadlines, caps. */
class ManagementServerTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = ManagementServer.start(vertx, "127.0.0.1", 0,
      new HttpEdgeSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5), 100, 2)).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("An oversized header gets 431 problem+json")
  void oversizedHeader() throws Exception {
    try (RawHttp socket = RawHttp.connect(server.actualPort())) {
      RawHttp.Response response = socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(431);
      assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(response.json().getString("type")).isEqualTo("urn:mission-control:problem:header-fields-too-large");
    }
  }

  @Test
  @DisplayName("A client that never finishes its headers is closed at the header deadline; a third connection from one address gets 503")
  void slowAndCapped() throws Exception {
    try (RawHttp slow = RawHttp.connect(server.actualPort()); RawHttp second = RawHttp.connect(server.actualPort());
         RawHttp third = RawHttp.connect(server.actualPort())) {
      slow.send("GET /health/live HTTP/1.1\r\nHost: x\r\n");
      RawHttp.Response refused = third.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(slow.closedWithin(4_000)).as("closed at the 1 s header deadline").isTrue();
    }
  }
}
