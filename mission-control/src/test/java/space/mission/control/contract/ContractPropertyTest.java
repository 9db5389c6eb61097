package space.mission.control.contract;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.control.MissionControl;
import space.mission.status.api.OpenApiDocument;
import space.mission.testkit.Await;
import space.mission.testkit.TestDatabase;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Valid requests for every operation of the OpenAPI document, generated from its schemas, against
 * the status, alert and backup roles of one launcher: each answers 2xx, what was written reads back
 * equal to what was sent, and afterwards no role is wedged (an acknowledgement and a silence still
 * answer at once). Bounded: a fixed number of tries, each with a 15 s request timeout.
 *
 * <p>Left to other tests: {@code streamEvents} (an endless SSE stream: StreamTest), and opaque
 * values only the server hands out (cursors, ETags for If-Match / If-None-Match, Last-Event-ID).
 */
class ContractPropertyTest {

  /** Operations not generated here, and why (see the class comment). */
  private static final Set<String> NOT_GENERATED = Set.of("streamEvents");
  private static final Set<String> SERVER_VALUES = Set.of("cursor", "If-Match", "If-None-Match", "lastEventId", "Last-Event-ID");
  private static final Duration AT_ONCE = Duration.ofSeconds(2);
  private static final int FIRING_ALERTS = 30;

  static DatabaseUrl schema;
  static Path data;
  static MissionControl running;
  static Vertx vertx;
  static WebClient web;
  static String token;
  static JsonObject contract;
  static final String MISSION = "property-fixture";
  static long updateId;
  static String backupId;
  static final ArrayDeque<String> firing = new ArrayDeque<>();
  static final Set<String> tried = new TreeSet<>();
  static final AtomicLong unique = new AtomicLong();

  /** One generated request: the operation, its path template and the values for its parameters and body. */
  record Generated(String operationId, HttpMethod method, String path, Map<String, Object> query, Map<String, Object> headers,
                   JsonObject body) {
    @Override
    public String toString() {
      return method + " " + path + " query=" + query + " headers=" + headers + " body=" + (body == null ? null : body.encode());
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    schema = TestDatabase.freshSchema("ContractPropertyTest");
    data = Files.createTempDirectory("contract-property");
    int port = freePort();
    running = MissionControl.start(new MissionControl.Options(List.of("status", "alert", "backup"), null), Map.of(
      "MC_DATA_DIR", data.toString(), "MC_DB_URL", schema.url(), "MC_HTTP_PORT", String.valueOf(port),
      "MC_ALERT_GROUP_WAIT", "0s", "MC_ALERT_TICK", "200ms"));
    token = Files.readString(data.resolve("api-token")).trim();
    vertx = Vertx.vertx();
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    contract = OpenApiDocument.parse(OpenApiDocument.read());

    assertThat(send(HttpMethod.POST, "/api/v1/missions", new JsonObject().put("id", MISSION).put("name", "Fixture")).statusCode())
      .isEqualTo(201);
    updateId = send(HttpMethod.POST, "/api/v1/missions/" + MISSION + "/updates",
      new JsonObject().put("subsystem", "fixture").put("level", "NOMINAL").put("message", "fixture")).bodyAsJsonObject().getLong("id");
    for (int i = 0; i < FIRING_ALERTS; i++) {
      send(HttpMethod.POST, "/api/v1/missions/" + MISSION + "/updates",
        new JsonObject().put("subsystem", "ack-" + i).put("level", "CRITICAL").put("message", "to acknowledge"));
    }
    Await.value(Duration.ofSeconds(20), Duration.ofMillis(100), ContractPropertyTest::firingFixtures, found -> found.size() >= FIRING_ALERTS);
    firing.addAll(firingFixtures());
    assertThat(firing).hasSize(FIRING_ALERTS);
    backupId = send(HttpMethod.POST, "/api/v1/backups", new JsonObject().put("requestedBy", "fixture")).bodyAsJsonObject()
      .getString("backupId");
  }

  private static List<String> firingFixtures() {
    JsonArray items = web.get("/api/v1/alerts").putHeader("Authorization", "Bearer " + token).send().await().bodyAsJsonObject()
      .getJsonArray("items");
    List<String> fingerprints = new ArrayList<>();
    for (Object item : items) {
      JsonObject alert = (JsonObject) item;
      if (alert.getString("state").equals("FIRING") && alert.getJsonObject("labels").getString("subsystem", "").startsWith("ack-")
        && alert.getValue("acknowledged") == null) {
        fingerprints.add(alert.getString("fingerprint"));
      }
    }
    return fingerprints;
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      if (running != null) {
        // no role wedged: an acknowledgement and a silence still answer at once
        long started = System.nanoTime();
        HttpResponse<Buffer> silence = send(HttpMethod.POST, "/api/v1/alerts/silences", new JsonObject()
          .put("matchers", new JsonArray().add(new JsonObject().put("label", "mission").put("value", "after")))
          .put("duration", "PT1H").put("author", "after").put("comment", "wedged?"));
        assertThat(silence.statusCode()).as(silence.bodyAsString()).isEqualTo(201);
        String fingerprint = firing.poll();
        if (fingerprint != null) {
          HttpResponse<Buffer> ack = send(HttpMethod.POST, "/api/v1/alerts/" + fingerprint + "/ack", new JsonObject().put("by", "after"));
          assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(AT_ONCE.multipliedBy(2));
        Set<String> expected = new TreeSet<>(operations().keySet());
        expected.removeAll(NOT_GENERATED);
        assertThat(tried).as("every operation was generated at least once").containsAll(expected);
      }
    } finally {
      if (running != null) {
        running.stop();
      }
      if (vertx != null) {
        vertx.close().await();
      }
      if (schema != null) {
        TestDatabase.drop(schema);
      }
    }
  }

  @Property(tries = 400, seed = "20261203")
  void everyValidRequestSucceedsAndReadsBack(@ForAll("requests") Generated request) {
    tried.add(request.operationId());
    long started = System.nanoTime();
    Sent sent = execute(request);
    HttpResponse<Buffer> response = sent.response();
    assertThat(response.statusCode()).as("%s answered %s", request, response.bodyAsString()).isBetween(200, 299);
    readBack(request, sent);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("%s", request).isLessThan(Duration.ofSeconds(10));
  }

  @Provide
  Arbitrary<Generated> requests() {
    Map<String, Arbitrary<Object>> overrides = new HashMap<>();
    overrides.put("createMission/id", Arbitraries.randomValue(random ->
      new PatternStrings("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", 1, 40).next(random) + "-" + Long.toString(unique.incrementAndGet(), 36)));
    overrides.put("recordUpdate/telemetry", Arbitraries.frequencyOf(
      net.jqwik.api.Tuple.of(8, SchemaValues.freeJson(20)),
      net.jqwik.api.Tuple.of(1, Arbitraries.just(SchemaValues.nested(31)))));
    overrides.put("recordUpdate/header/Idempotency-Key", Arbitraries.randomValue(random ->
      new PatternStrings("^[\\x21-\\x7e]+$", 1, 30).next(random) + UUID.randomUUID()));
    // the contract's words: a silence lasts at most 90 days and starts at most 90 days from now
    overrides.put("createSilence/duration", Arbitraries.of("PT1M", "PT2H", "PT90M", "P1D", "P1DT12H", "P90D"));
    overrides.put("createSilence/startsAt", Arbitraries.integers().between(-3600, 30 * 86_400)
      .map(seconds -> (Object) Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MICROS).toString()));
    overrides.put("createSilence/endsAt", Arbitraries.integers().between(31 * 86_400, 59 * 86_400)
      .map(seconds -> (Object) Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MICROS).toString()));
    overrides.put("createSilence/matchers/-/regex", Arbitraries.just(false));
    overrides.put("getRollup/query/wait", Arbitraries.just(0L));
    List<Arbitrary<Generated>> each = new ArrayList<>();
    operations().forEach((operationId, operation) -> {
      if (!NOT_GENERATED.contains(operationId)) {
        each.add(generate(operationId, operation, overrides));
      }
    });
    return Arbitraries.oneOf(each);
  }

  /** Each operation of the document by id, with its method, path and the path item's own parameters merged in. */
  static Map<String, JsonObject> operations() {
    Map<String, JsonObject> operations = new LinkedHashMap<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      JsonArray shared = item.getJsonArray("parameters", new JsonArray());
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation && operation.containsKey("operationId")) {
          JsonArray parameters = shared.copy();
          operation.getJsonArray("parameters", new JsonArray()).forEach(parameters::add);
          operations.put(operation.getString("operationId"), operation.copy().put("x-method", method.toUpperCase())
            .put("x-path", path).put("parameters", parameters));
        }
      }
    }
    return operations;
  }

  private Arbitrary<Generated> generate(String operationId, JsonObject operation, Map<String, Arbitrary<Object>> overrides) {
    Map<String, Arbitrary<Object>> scoped = new HashMap<>();
    overrides.forEach((key, value) -> {
      if (key.startsWith(operationId + "/")) {
        scoped.put(key.substring(operationId.length()), value);
      }
    });
    SchemaValues values = new SchemaValues(contract, scoped);
    List<String> names = new ArrayList<>();
    List<String> places = new ArrayList<>();
    List<Arbitrary<Object>> parameters = new ArrayList<>();
    for (Object raw : operation.getJsonArray("parameters")) {
      JsonObject parameter = values.resolve((JsonObject) raw);
      String in = parameter.getString("in");
      if (in.equals("path") || SERVER_VALUES.contains(parameter.getString("name"))) {
        continue;
      }
      String place = in.equals("header") ? "header" : "query";
      Arbitrary<Object> value = values.of(parameter.getJsonObject("schema"), "/" + place + "/" + parameter.getString("name"));
      names.add(parameter.getString("name"));
      places.add(place);
      parameters.add(parameter.getBoolean("required", false) ? value
        : Combinators.combine(Arbitraries.of(true, false), value).as((present, v) -> present ? v : null));
    }
    JsonObject content = operation.getJsonObject("requestBody", new JsonObject()).getJsonObject("content");
    Arbitrary<Object> body = content == null ? Arbitraries.just(null)
      : values.of(content.getJsonObject("application/json").getJsonObject("schema"), "");
    Arbitrary<List<Object>> parameterValues = parameters.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(parameters).as(list -> list);
    return Combinators.combine(parameterValues, body).as((list, generatedBody) -> {
      Map<String, Object> query = new LinkedHashMap<>();
      Map<String, Object> headers = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        if (list.get(i) != null) {
          (places.get(i).equals("header") ? headers : query).put(names.get(i), list.get(i));
        }
      }
      return new Generated(operationId, HttpMethod.valueOf(operation.getString("x-method")), operation.getString("x-path"), query, headers,
        (JsonObject) generatedBody);
    });
  }

  // ---------------------------------------------------------------- sending and reading back

  /** A request as sent: its concrete path and the answer. */
  record Sent(String path, HttpResponse<Buffer> response) {
  }

  private static Sent execute(Generated request) {
    String mission = MISSION;
    if (request.operationId().equals("updateMission")) {
      // a phase only moves forward (a 409 otherwise, as documented): each change starts from a new, PLANNED mission
      mission = "patch-" + unique.incrementAndGet();
      assertThat(send(HttpMethod.POST, "/api/v1/missions", new JsonObject().put("id", mission).put("name", "Patched")).statusCode())
        .isEqualTo(201);
    }
    String path = request.path()
      .replace("{missionId}", mission)
      .replace("{updateId}", String.valueOf(updateId))
      .replace("{backupId}", backupId);
    if (path.contains("{fingerprint}")) {
      String fingerprint = firing.poll();
      assertThat(fingerprint).as("a firing alert left to acknowledge").isNotNull();
      path = path.replace("{fingerprint}", fingerprint);
    }
    if (path.contains("{silenceId}")) {
      path = path.replace("{silenceId}", send(HttpMethod.POST, "/api/v1/alerts/silences", new JsonObject()
        .put("matchers", new JsonArray().add(new JsonObject().put("label", "rule").put("value", "none")))
        .put("duration", "PT1H").put("author", "fixture").put("comment", "to expire")).bodyAsJsonObject().getString("id"));
    }
    HttpRequest<Buffer> http = web.request(request.method(), path).timeout(15_000).putHeader("Authorization", "Bearer " + token);
    request.query().forEach((name, value) -> http.addQueryParam(name, String.valueOf(value)));
    request.headers().forEach((name, value) -> http.putHeader(name, String.valueOf(value)));
    return new Sent(path, request.body() == null ? http.send().await() : http.sendJsonObject(request.body()).await());
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body) {
    return web.request(method, path).timeout(15_000).putHeader("Authorization", "Bearer " + token).sendJsonObject(body).await();
  }

  private static JsonObject get(String path) {
    HttpResponse<Buffer> response = web.get(path).timeout(15_000).putHeader("Authorization", "Bearer " + token).send().await();
    assertThat(response.statusCode()).as("GET %s: %s", path, response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static void readBack(Generated request, Sent exchange) {
    JsonObject sent = request.body();
    HttpResponse<Buffer> response = exchange.response();
    switch (request.operationId()) {
      case "createMission" -> sameFields(sent, get("/api/v1/missions/" + response.bodyAsJsonObject().getString("id")));
      case "updateMission" -> sameFields(sent, get(exchange.path()));
      case "recordUpdate" -> {
        JsonObject stored = get(response.getHeader("Location"));
        JsonObject echoed = response.bodyAsJsonObject();
        for (String field : List.of("subsystem", "level", "message")) {
          assertThat(stored.getValue(field)).as(field).isEqualTo(sent.getValue(field));
        }
        assertThat(stored.getValue("telemetry")).as("telemetry").isEqualTo(sent.getValue("telemetry"));
        if (sent.containsKey("reportedAt")) {
          assertThat(instant(stored.getString("reportedAt"))).as("reportedAt").isEqualTo(instant(sent.getString("reportedAt")));
        }
        assertThat(echoed.encode()).as("the 201 shows what was stored").isEqualTo(stored.encode());
      }
      case "acknowledgeAlert" -> {
        JsonObject acknowledged = response.bodyAsJsonObject().getJsonObject("acknowledged");
        assertThat(acknowledged.getString("by")).isEqualTo(sent.getString("by"));
        assertThat(acknowledged.getString("comment")).isEqualTo(sent.getString("comment"));
      }
      case "createSilence" -> {
        String id = response.bodyAsJsonObject().getString("id");
        JsonObject stored = get("/api/v1/alerts/silences").getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(silence -> silence.getString("id").equals(id)).findFirst().orElseThrow();
        assertThat(stored.getString("author")).isEqualTo(sent.getString("author"));
        assertThat(stored.getString("comment")).isEqualTo(sent.getString("comment"));
        assertThat(stored.getJsonArray("matchers").size()).isEqualTo(sent.getJsonArray("matchers").size());
        for (int i = 0; i < stored.getJsonArray("matchers").size(); i++) {
          assertThat(stored.getJsonArray("matchers").getJsonObject(i).getString("value"))
            .isEqualTo(sent.getJsonArray("matchers").getJsonObject(i).getString("value"));
        }
      }
      case "requestBackup" -> {
        JsonObject accepted = response.bodyAsJsonObject();
        JsonObject stored = get(response.getHeader("Location"));
        if (!accepted.getBoolean("alreadyRunning", false) && sent != null && sent.containsKey("requestedBy")) {
          assertThat(stored.getString("requestedBy")).isEqualTo(sent.getString("requestedBy"));
        }
      }
      default -> {
        // reads: a 2xx is what the contract promises for valid parameters
      }
    }
  }

  /** Every field sent reads back equal (numbers by value). */
  private static void sameFields(JsonObject sent, JsonObject stored) {
    for (String field : sent.fieldNames()) {
      Object expected = sent.getValue(field);
      Object actual = stored.getValue(field);
      if (expected instanceof Number number) {
        assertThat(((Number) actual).longValue()).as(field).isEqualTo(number.longValue());
      } else {
        assertThat(actual).as(field).isEqualTo(expected);
      }
    }
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
