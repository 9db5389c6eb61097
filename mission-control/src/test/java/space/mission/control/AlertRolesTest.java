package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status, alert, monitor and backup roles together, as the launcher runs them: a real monitor's
 * readings fire an alert that the HTTP API shows, acknowledges, silences and lists in its history;
 * status updates raise and resolve mission alerts; a failed backup raises an alert; ERROR lines of
 * this JVM's own log, written by the launcher to data/logs/app.jsonl, fire the log rule through the
 * local tail.
 */
class AlertRolesTest {

  private static final String TOKEN = "alert-roles-token-0123456789";
  private static final String RULES = """
    readings:
      - { name: disk-any, metric: disk.usage, comparison: ">", threshold: 0, for: 0s, severity: WARNING }
    logs:
      - { name: error-burst, group: /mission-control/app, stream: app, pattern: '{ $.level = "ERROR" }', window: 1m, count: 3, severity: CRITICAL }
    status: { name: mission-status, enabled: true }
    backupFailed: { name: backup-failed, severity: CRITICAL }
    """;

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path data;

  static MissionControl running;
  static Vertx client;
  static WebClient web;

  @BeforeAll
  static void start() throws Exception {
    Path rules = data.resolve("rules.yaml");
    Files.writeString(rules, RULES);
    // a file where the backups directory should be: every backup of this JVM fails
    Files.writeString(data.resolve("backups"), "not a directory");
    int port = MissionControlTest.freePort();
    running = MissionControl.start(new MissionControl.Options(List.of("status", "alert", "monitor", "backup"), null), Map.of(
      "MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_HTTP_PORT", String.valueOf(port), "MC_API_TOKENS", TOKEN,
      "MC_MONITOR_INTERVAL", "1s", "MC_ALERT_RULES_FILE", rules.toString(), "MC_ALERT_GROUP_WAIT", "0s",
      "MC_ALERT_TAIL_LOCAL_POLL_INTERVAL", "100ms", "MC_ALERT_TICK", "100ms"));
    client = Vertx.vertx();
    web = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.stop();
    }
    if (client != null) {
      client.close().await();
    }
  }

  @Test
  @DisplayName("A reading over a threshold fires an alert the API shows; acknowledging it is kept in its history with the actor")
  void readingFiresAndIsAcknowledged() throws Exception {
    JsonObject alert = awaitAlert(candidate -> "disk-any".equals(candidate.getString("rule")) && "FIRING".equals(candidate.getString("state")));
    assertThat(alert.getJsonObject("labels").getString("mount")).isNotBlank();
    assertThat(alert.getJsonObject("labels").getString("host")).isNotBlank();
    assertThat(alert.getDouble("value")).isPositive();
    String fingerprint = alert.getString("fingerprint");

    HttpResponse<Buffer> acked = post("/api/v1/alerts/" + fingerprint + "/ack", new JsonObject().put("by", "flight-director").put("comment", "known"));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject().getJsonObject("acknowledged").getString("by")).isEqualTo("flight-director");
    assertThat(post("/api/v1/alerts/" + fingerprint + "/ack", new JsonObject().put("by", "flight-director")).statusCode())
      .as("a retried acknowledgement gets the one that stands").isEqualTo(200);
    HttpResponse<Buffer> second = post("/api/v1/alerts/" + fingerprint + "/ack", new JsonObject().put("by", "capcom"));
    assertThat(second.statusCode()).as("someone else's is a conflict").isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("detail")).contains("already acknowledged by flight-director");
    HttpResponse<Buffer> unknown = post("/api/v1/alerts/0123456789abcdef/ack", new JsonObject().put("by", "flight-director"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.getHeader("Content-Type")).isEqualTo("application/problem+json");

    JsonArray history = get("/api/v1/alerts/history?fingerprint=" + fingerprint).getJsonArray("items");
    assertThat(history.stream().map(row -> ((JsonObject) row).getString("event")).toList()).startsWith("ACKNOWLEDGED").contains("FIRING");
    JsonObject acknowledged = history.getJsonObject(0);
    assertThat(acknowledged.getString("actor")).isEqualTo("flight-director");

    JsonObject firstPage = get("/api/v1/alerts/history?limit=1");
    assertThat(firstPage.getJsonArray("items")).hasSize(1);
    JsonObject secondPage = get("/api/v1/alerts/history?limit=1&cursor=" + firstPage.getString("nextCursor"));
    assertThat(secondPage.getJsonArray("items").getJsonObject(0).getLong("id"))
      .isLessThan(firstPage.getJsonArray("items").getJsonObject(0).getLong("id"));
  }

  @Test
  @DisplayName("GET /api/v1/alerts/rules shows the rules in force, as the dashboard draws them")
  void rulesInForce() {
    HttpResponse<Buffer> response = web.get("/api/v1/alerts/rules").send().await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject rules = response.bodyAsJsonObject();
    assertThat(rules.getJsonArray("readings")).hasSize(1);
    JsonObject disk = rules.getJsonArray("readings").getJsonObject(0);
    assertThat(disk.getString("name")).isEqualTo("disk-any");
    assertThat(disk.getString("metric")).isEqualTo("disk.usage");
    assertThat(disk.getString("comparison")).isEqualTo(">");
    assertThat(disk.getDouble("threshold")).isEqualTo(0.0);
    assertThat(disk.getString("for")).isEqualTo("PT0S");
    assertThat(rules.getJsonArray("logs").getJsonObject(0).getInteger("count")).isEqualTo(3);
    assertThat(rules.getJsonObject("status").getString("name")).isEqualTo("mission-status");
  }

  @Test
  @DisplayName("A silence mutes matching alerts, which still show as firing with the silence's id; expiring it ends that")
  void silences() {
    awaitAlert(candidate -> "disk-any".equals(candidate.getString("rule")) && "FIRING".equals(candidate.getString("state")));
    JsonObject request = new JsonObject().put("matchers", new JsonArray().add(new JsonObject().put("label", "rule").put("value", "disk-.*")
      .put("regex", true))).put("duration", "PT2H").put("author", "ops").put("comment", "disk migration");
    HttpResponse<Buffer> created = post("/api/v1/alerts/silences", request);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(created.getHeader("Location")).isEqualTo("/api/v1/alerts/silences/" + id);
    assertThat(created.bodyAsJsonObject().getString("state")).isEqualTo("ACTIVE");

    JsonObject silenced = awaitAlert(candidate -> "disk-any".equals(candidate.getString("rule")));
    assertThat(silenced.getString("state")).isEqualTo("FIRING");
    assertThat(silenced.getJsonArray("silencedBy")).containsExactly(id);
    assertThat(get("/api/v1/alerts/silences").getJsonArray("items").stream().map(s -> ((JsonObject) s).getString("id"))).contains(id);

    HttpResponse<Buffer> bad = post("/api/v1/alerts/silences", request.copy().put("matchers", new JsonArray()
      .add(new JsonObject().put("label", "rule").put("value", "([").put("regex", true))));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("detail")).contains("matchers[0].value");

    HttpResponse<Buffer> expired = web.delete("/api/v1/alerts/silences/" + id + "?by=ops").putHeader("Authorization", "Bearer " + TOKEN)
      .send().await();
    assertThat(expired.statusCode()).as(expired.bodyAsString()).isEqualTo(200);
    assertThat(expired.bodyAsJsonObject().getString("state")).isEqualTo("EXPIRED");
    assertThat(awaitAlert(candidate -> "disk-any".equals(candidate.getString("rule"))).getJsonArray("silencedBy")).isEmpty();
    assertThat(web.delete("/api/v1/alerts/silences/00000000-0000-0000-0000-000000000000").putHeader("Authorization", "Bearer " + TOKEN)
      .send().await().statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("A CRITICAL status update raises an alert for that mission and subsystem; a NOMINAL one resolves it")
  void statusUpdates() {
    HttpResponse<Buffer> mission = post("/api/v1/missions", new JsonObject().put("name", "Voyager Alert"));
    assertThat(mission.statusCode()).as(mission.bodyAsString()).isEqualTo(201);
    String id = mission.bodyAsJsonObject().getString("id");
    assertThat(post("/api/v1/missions/" + id + "/updates", new JsonObject().put("subsystem", "thermal").put("level", "CRITICAL")
      .put("message", "radiator loop pressure low")).statusCode()).isEqualTo(201);
    JsonObject raised = awaitAlert(candidate -> "mission-status".equals(candidate.getString("rule"))
      && id.equals(candidate.getJsonObject("labels").getString("mission")));
    assertThat(raised.getString("severity")).isEqualTo("CRITICAL");
    assertThat(raised.getJsonObject("labels").getString("subsystem")).isEqualTo("thermal");

    assertThat(post("/api/v1/missions/" + id + "/updates", new JsonObject().put("subsystem", "thermal").put("level", "NOMINAL")
      .put("message", "pressure restored")).statusCode()).isEqualTo(201);
    awaitHistory(raised.getString("fingerprint"), "RESOLVED");
  }

  @Test
  @DisplayName("An acknowledgement with an empty comment is accepted, as the contract allows (comment has no minLength), and kept as empty")
  void emptyCommentIsAccepted() {
    HttpResponse<Buffer> mission = post("/api/v1/missions", new JsonObject().put("name", "Empty Comment"));
    assertThat(mission.statusCode()).as(mission.bodyAsString()).isEqualTo(201);
    String id = mission.bodyAsJsonObject().getString("id");
    assertThat(post("/api/v1/missions/" + id + "/updates", new JsonObject().put("subsystem", "comms").put("level", "CRITICAL")
      .put("message", "carrier lost")).statusCode()).isEqualTo(201);
    JsonObject raised = awaitAlert(candidate -> "mission-status".equals(candidate.getString("rule"))
      && id.equals(candidate.getJsonObject("labels").getString("mission")) && "FIRING".equals(candidate.getString("state")));

    HttpResponse<Buffer> acked = post("/api/v1/alerts/" + raised.getString("fingerprint") + "/ack",
      new JsonObject().put("by", "flight-director").put("comment", ""));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject().getJsonObject("acknowledged").getString("comment")).isEqualTo("");
  }

  @Test
  @DisplayName("A backup that fails raises backup-failed through the alert role, visible in the API")
  void failedBackupRaisesAnAlert() {
    HttpResponse<Buffer> accepted = post("/api/v1/backups", new JsonObject().put("reason", "alert wiring"));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    String id = accepted.bodyAsJsonObject().getString("backupId");
    assertThat(accepted.getHeader("Location")).isEqualTo("/api/v1/backups/" + id);
    JsonObject alert = awaitAlert(candidate -> "backup-failed".equals(candidate.getString("rule")));
    assertThat(alert.getString("summary")).contains(id);
    assertThat(get("/api/v1/backups/" + id).getString("state")).isEqualTo("FAILED");
    JsonObject catalog = get("/api/v1/backups");
    assertThat(catalog.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(catalog.getValue("newestVerified")).isNull();
  }

  @Test
  @DisplayName("ERROR lines in this JVM's own log reach data/logs/app.jsonl as JSON and fire the log rule")
  void ownErrorLogLinesFireTheLogRule() throws Exception {
    org.slf4j.Logger log = LoggerFactory.getLogger("space.mission.control.AlertRolesTest");
    for (int i = 0; i < 3; i++) {
      log.error("Test-induced failure {} of 3", i + 1);
    }
    JsonObject alert = awaitAlert(candidate -> "error-burst".equals(candidate.getString("rule")));
    assertThat(alert.getString("severity")).isEqualTo("CRITICAL");
    String line = Files.readAllLines(data.resolve("logs/app.jsonl")).stream().filter(text -> text.contains("Test-induced failure 1"))
      .findFirst().orElseThrow();
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("ERROR");
    assertThat(json.getLong("timestamp")).isPositive();
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body) {
    return web.post(path).putHeader("Authorization", "Bearer " + TOKEN).sendJsonObject(body).await();
  }

  private static JsonObject get(String path) {
    HttpResponse<Buffer> response = web.get(path).send().await();
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** Polls GET /api/v1/alerts (up to 15 s: the roles may still be starting) for an alert matching the test. */
  private static JsonObject awaitAlert(Predicate<JsonObject> wanted) {
    JsonArray items = Await.value(Duration.ofSeconds(15), Duration.ofMillis(100), AlertRolesTest::activeAlerts,
      found -> matching(found, wanted).isPresent());
    return matching(items, wanted).orElseThrow(() -> new AssertionError("no such alert within 15 s; active: " + items.encodePrettily()));
  }

  /** The active alerts, or none while the API cannot answer yet. */
  private static JsonArray activeAlerts() {
    HttpResponse<Buffer> response = web.get("/api/v1/alerts").send().await();
    return response.statusCode() == 200 ? response.bodyAsJsonObject().getJsonArray("items") : new JsonArray();
  }

  private static Optional<JsonObject> matching(JsonArray items, Predicate<JsonObject> wanted) {
    return items.stream().map(JsonObject.class::cast).filter(wanted).findFirst();
  }

  private static void awaitHistory(String fingerprint, String event) {
    JsonArray items = Await.value(Duration.ofSeconds(15), Duration.ofMillis(100),
      () -> get("/api/v1/alerts/history?fingerprint=" + fingerprint).getJsonArray("items"),
      found -> found.stream().anyMatch(row -> event.equals(((JsonObject) row).getString("event"))));
    if (items.stream().noneMatch(row -> event.equals(((JsonObject) row).getString("event")))) {
      throw new AssertionError("no " + event + " in the history within 15 s: " + items.encodePrettily());
    }
  }
}
