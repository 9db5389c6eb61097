package space.mission.control;

import space.mission.runtime.db.EmbeddedMariaDb;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The training run behind the container image's class-data-sharing archive: started by
 * {@code ops/container/train-class-data.sh} at image build time under
 * {@code -XX:ArchiveClassesAtExit}, it starts every role as a cluster member of one (so Hazelcast's
 * classes load too) on an embedded MariaDB under {@code DIR}, sends the API the requests a client
 * would, stops, and exits; the JVM then writes every class it loaded to the archive, and the image's
 * ENTRYPOINT maps it, so a start skips finding, parsing and verifying those classes in the 200 MB jar.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=ARCHIVE -cp mission-control.jar space.mission.control.ClassDataTraining DIR}
 */
public final class ClassDataTraining {

  private ClassDataTraining() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ClassDataTraining DIR (an empty directory for the embedded database and the data)");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int exit = 1;
    try (EmbeddedMariaDb db = EmbeddedMariaDb.prepare(dir.resolve("mariadb"), 0)) {
      db.start();
      int port = freePort();
      String token = "training-" + UUID.randomUUID();
      Map<String, String> env = Map.of(
        "MC_DB_URL", db.database("mission_control").url(),
        "MC_DATA_DIR", dir.resolve("data").toString(),
        "MC_API_TOKENS", token,
        "MC_HTTP_PORT", String.valueOf(port),
        "MC_CLUSTER_ENABLED", "true",
        "MC_CLUSTER_NAME", "class-data-training-" + UUID.randomUUID(),
        "MC_CLUSTER_MEMBERS", "127.0.0.1",
        "MC_CLUSTER_HOST", "127.0.0.1");
      MissionControl running = MissionControl.start(new MissionControl.Options(null, null), env);
      try {
        exercise(port, token);
        exit = 0;
      } finally {
        running.stop();
      }
    }
    // the archive is written as the JVM exits; a thread a library left running must not hold that back
    System.exit(exit);
  }

  /** The requests of a client's first minute, so the classes of the request paths are archived too. */
  private static void exercise(int port, String token) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + port;
    expect(client, post(base + "/api/v1/missions", token, "{\"id\":\"training\",\"name\":\"Training\",\"phase\":\"CRUISE\"}"), 201);
    expect(client, post(base + "/api/v1/missions/training/updates", token,
      "{\"subsystem\":\"comms\",\"level\":\"WARNING\",\"message\":\"training\",\"telemetry\":{\"snr\":3.5}}"), 201);
    for (String path : List.of("/api/v1/missions", "/api/v1/missions/training", "/api/v1/missions/training/status",
      "/api/v1/missions/training/updates?limit=50", "/api/v1/alerts", "/api/v1/backups", "/api/v1/system/resources",
      "/health/live", "/health/ready", "/metrics", "/openapi.yaml")) {
      expect(client, HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build(), 200);
    }
    // a refusal runs the validation and problem paths
    expect(client, post(base + "/api/v1/missions", token, "{\"name\":\"\"}"), 400);
  }

  private static HttpRequest post(String uri, String token, String body) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static void expect(HttpClient client, HttpRequest request, int status) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": expected " + status + ", got "
        + response.statusCode() + " " + response.body());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
