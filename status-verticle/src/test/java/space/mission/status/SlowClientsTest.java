package space.mission.status;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.RawHttp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and idle clients over real sockets, with small deadlines: a client dripping its headers is
 * closed at the header deadline, an idle keep-alive connection at the idle timeout, connections
 * beyond the per-client cap get 503 problem+json, and a held long-poll and an open live feed,
 * longer than the idle timeout, are not cut.
 */
class SlowClientsTest {

  private static final int PER_CLIENT = 12;

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db).with(Map.of(
    "MC_HTTP_HEADER_TIMEOUT", "1s",
    "MC_HTTP_IDLE_TIMEOUT", "1500ms",
    "MC_HTTP_MAX_CONNECTIONS_PER_CLIENT", String.valueOf(PER_CLIENT),
    "MC_STATUS_STREAM_HEARTBEAT", "300ms"));

  @BeforeAll
  static void mission() {
    status.api().createMission(new JsonObject().put("name", "Slow").put("id", "slow"));
  }

  @Test
  @DisplayName("A client that drips header bytes is closed at the header deadline")
  void slowHeaders() throws Exception {
    try (RawHttp socket = RawHttp.connect(status.verticle().port())) {
      long started = System.nanoTime();
      socket.send("GET /health/live HTTP/1.1\r\n");
      boolean closed = false;
      for (int i = 0; i < 20 && !closed; i++) {
        try {
          socket.send("X");
        } catch (IOException reset) {
          closed = true;
          break;
        }
        closed = socket.closedWithin(250);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(closed).as("closed while still sending headers").isTrue();
      assertThat(millis).as("closed at the 1 s header deadline").isBetween(900L, 3_500L);
    }
  }

  @Test
  @DisplayName("An idle keep-alive connection is closed at the idle timeout, not before")
  void idleKeepAlive() throws Exception {
    try (RawHttp socket = RawHttp.connect(status.verticle().port())) {
      RawHttp.Response first = socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(socket.closedWithin(1_000)).as("still open within the idle timeout").isFalse();
      assertThat(socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).as("reusable meanwhile").isEqualTo(200);
      long idleFrom = System.nanoTime();
      assertThat(socket.closedWithin(4_000)).as("closed after the idle timeout").isTrue();
      assertThat((System.nanoTime() - idleFrom) / 1_000_000).isBetween(1_400L, 3_500L);
    }
  }

  @Test
  @DisplayName("Connections beyond the per-client cap get 503 problem+json with Retry-After")
  void cap() throws Exception {
    List<RawHttp> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT + 6; i++) {
        sockets.add(RawHttp.connect(status.verticle().port()));
      }
      int served = 0;
      int refused = 0;
      for (RawHttp socket : sockets) {
        RawHttp.Response response = socket.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read();
        if (response.status() == 200) {
          served++;
        } else {
          refused++;
          assertThat(response.status()).as("%s", response).isEqualTo(503);
          assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
          assertThat(response.header("Retry-After")).isNotBlank();
          assertThat(response.json().getString("type")).isEqualTo("urn:mission-control:problem:too-many-connections");
        }
      }
      assertThat(served).as("at most the cap is served").isLessThanOrEqualTo(PER_CLIENT);
      assertThat(refused).as("the connections beyond the cap are refused").isGreaterThanOrEqualTo(6);
    } finally {
      for (RawHttp socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("A long-poll held longer than the idle timeout is answered, not cut")
  void longPoll() throws Exception {
    String etag = status.api().get("/api/v1/missions/slow/status").getHeader("ETag");
    try (RawHttp socket = RawHttp.connect(status.verticle().port())) {
      long started = System.nanoTime();
      RawHttp.Response response = socket.send("GET /api/v1/missions/slow/status?wait=3 HTTP/1.1\r\nHost: x\r\nIf-None-Match: "
        + etag + "\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(304);
      assertThat((System.nanoTime() - started) / 1_000_000).as("held for the whole wait").isGreaterThanOrEqualTo(2_900L);
    }
  }

  @Test
  @DisplayName("An open live feed lasts beyond the idle timeout")
  void feed() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", status.verticle().port()), 5_000);
      socket.setSoTimeout(2_000);
      socket.getOutputStream().write("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      long started = System.nanoTime();
      StringBuilder seen = new StringBuilder();
      byte[] chunk = new byte[1024];
      // 4 s of heartbeats: more than twice the idle timeout; the stream must stay open throughout
      while (System.nanoTime() - started < 4_000_000_000L) {
        int read = in.read(chunk);
        assertThat(read).as("the feed is still open after %d ms; got %s", (System.nanoTime() - started) / 1_000_000, seen).isPositive();
        seen.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
      }
      assertThat(seen.toString()).startsWith("HTTP/1.1 200");
    }
  }
}
