package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import space.mission.common.config.ConfigException;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MissionControlTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("--help prints the usage with every flag and exits 0")
  void help() {
    StringWriter out = new StringWriter();
    System.setProperty("mission.roles", String.join(", ", Role.ids()));
    int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("--roles", "--cluster", "--help", "status");
  }

  @Test
  @DisplayName("A bad value, an unknown role, or a cluster member without a database or tokens fails the start with one line")
  void refusedStarts(@TempDir Path data) {
    Map<String, String> base = Map.of("MC_DATA_DIR", data.toString());
    assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(null, null), with(base, "MC_HTTP_PORT", "eighty")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MC_HTTP_PORT");
    assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(List.of("status", "telescope"), null), base))
      .isInstanceOf(ConfigException.class).hasMessageContaining("telescope");
    assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(null, true), base))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MC_DB_URL");
    assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(null, true), with(base, "MC_DB_URL", db.url().url())))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MC_API_TOKENS");
    assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(null, null), with(base, "MC_DB_URL", "postgres://db/x")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("MC_DB_URL").hasMessageNotContaining("\n");
    assertThat(data.resolve("mariadb")).as("nothing was started for a refused configuration").doesNotExist();
  }

  @Test
  @DisplayName("With MC_DB_URL the launcher serves the API on that database, with the generated token, and stops cleanly")
  void externalDatabase(@TempDir Path data) throws Exception {
    int port = freePort();
    MissionControl running = MissionControl.start(new MissionControl.Options(null, null),
      Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_HTTP_PORT", String.valueOf(port)));
    Vertx client = Vertx.vertx();
    try {
      String token = Files.readString(data.resolve("api-token")).trim();
      WebClient web = WebClient.create(client);
      int status = web.post(port, "127.0.0.1", "/api/v1/missions").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("name", "Launched")).await().statusCode();
      assertThat(status).isEqualTo(201);
      assertThat(web.get(port, "127.0.0.1", "/health/ready").send().await().statusCode()).isEqualTo(200);
    } finally {
      running.stop();
      client.close().await();
    }
  }

  @Test
  @DisplayName("Without MC_DB_URL an embedded MariaDB runs under the data directory, and what was written survives a restart")
  void embeddedDatabase(@TempDir Path data) throws Exception {
    Map<String, String> env = Map.of("MC_DATA_DIR", data.toString(), "MC_HTTP_PORT", String.valueOf(freePort()));
    int port = Integer.parseInt(env.get("MC_HTTP_PORT"));
    Vertx client = Vertx.vertx();
    WebClient web = WebClient.create(client);
    try {
      MissionControl first = MissionControl.start(new MissionControl.Options(List.of("status"), null), env);
      String token = Files.readString(data.resolve("api-token")).trim();
      try {
        assertThat(web.post(port, "127.0.0.1", "/api/v1/missions").putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(new JsonObject().put("name", "Durable")).await().statusCode()).isEqualTo(201);
      } finally {
        first.stop();
      }
      assertThat(data.resolve("mariadb/data")).isDirectory();

      MissionControl second = MissionControl.start(new MissionControl.Options(List.of("status"), null), env);
      try {
        JsonObject missions = web.get(port, "127.0.0.1", "/api/v1/missions").send().await().bodyAsJsonObject();
        assertThat(missions.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo("durable");
        assertThat(Files.readString(data.resolve("api-token")).trim()).as("the token is kept too").isEqualTo(token);
      } finally {
        second.stop();
      }
    } finally {
      client.close().await();
    }
  }

  @Test
  @DisplayName("A JVM without the status role serves health and metrics on the management port")
  void managementServer(@TempDir Path data) throws Exception {
    int port = freePort();
    MissionControl running = MissionControl.start(new MissionControl.Options(List.of("monitor"), null),
      Map.of("MC_DATA_DIR", data.toString(), "MC_MANAGEMENT_PORT", String.valueOf(port), "MC_MONITOR_INTERVAL", "1s"));
    Vertx client = Vertx.vertx();
    try {
      WebClient web = WebClient.create(client);
      assertThat(web.get(port, "127.0.0.1", "/health/live").send().await().statusCode()).isEqualTo(200);
      io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> ready = Await.value(Duration.ofSeconds(10), Duration.ofMillis(100),
        () -> web.get(port, "127.0.0.1", "/health/ready").send().await(), response -> response.statusCode() == 200);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsString()).contains("monitor.sampling");
      assertThat(web.get(port, "127.0.0.1", "/metrics").send().await().bodyAsString()).contains("mission_monitor_cpu_usage_percent");
      assertThat(web.get(port, "127.0.0.1", "/nothing").send().await().statusCode()).isEqualTo(404);
    } finally {
      running.stop();
      client.close().await();
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(base);
    env.put(key, value);
    return env;
  }
}
