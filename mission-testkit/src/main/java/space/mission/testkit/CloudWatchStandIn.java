package space.mission.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.runtime.logs.FilterPattern;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only CloudWatch and CloudWatch Logs endpoint that speaks the wire protocols the real AWS
 * SDK v2 clients send, and keeps what it receives for tests to look at:
 * <ul>
 *   <li>CloudWatch Logs, AWS JSON 1.1 ({@code X-Amz-Target: Logs_20140328.<Operation>}):
 *   CreateLogGroup, CreateLogStream, DescribeLogStreams, PutLogEvents (checking the service's limits
 *   and order like the service does), GetLogEvents, FilterLogEvents;</li>
 *   <li>CloudWatch PutMetricData, Smithy RPC v2 CBOR (gzip-compressed bodies included).</li>
 * </ul>
 * Faults can be switched on (500s, throttling) to play an outage. Anything a client sends that the
 * real service would refuse for breaking a limit is refused here too, and listed in
 * {@link #violations()}, so a test can assert a client never does it.
 */
public final class CloudWatchStandIn implements AutoCloseable {

  /** What a request gets while a fault is on. */
  public enum Fault { NONE, SERVER_ERROR, THROTTLING }

  public record LogEvent(long timestamp, String message, long ingestionTime, String eventId, String stream) {
  }

  public record Datum(String namespace, String name, Map<String, String> dimensions, Instant timestamp, Double value,
                      List<Double> values, List<Double> counts, Map<String, Double> statistics, String unit, Integer storageResolution) {
  }

  static final int MAX_EVENTS = 10_000;
  static final int MAX_BATCH_BYTES = 1_048_576;
  static final long MAX_SPAN_MILLIS = Duration.ofHours(24).toMillis();
  static final long MAX_AGE_MILLIS = Duration.ofDays(14).toMillis();
  static final long MAX_FUTURE_MILLIS = Duration.ofHours(2).toMillis();

  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, Map<String, List<LogEvent>>> groups = new ConcurrentHashMap<>();
  private final List<Datum> datums = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<Integer> putLogEventsSizes = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicLong eventIds = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private final AtomicInteger faultsLeft = new AtomicInteger(-1);

  private CloudWatchStandIn(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static CloudWatchStandIn start() {
    Vertx vertx = Vertx.vertx();
    CloudWatchStandIn[] holder = new CloudWatchStandIn[1];
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setDecompressionSupported(true));
    server.requestHandler(request -> holder[0].handle(request));
    holder[0] = new CloudWatchStandIn(vertx, server);
    server.listen().await();
    return holder[0];
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Every request fails with {@code fault} until {@link #heal()}. */
  public void fail(Fault fault) {
    this.faultsLeft.set(-1);
    this.fault = fault;
  }

  /** The next {@code count} requests fail with {@code fault}; then the endpoint heals by itself. */
  public void failNext(int count, Fault fault) {
    this.faultsLeft.set(count);
    this.fault = fault;
  }

  public void heal() {
    this.fault = Fault.NONE;
  }

  public List<LogEvent> events(String group, String stream) {
    Map<String, List<LogEvent>> streams = groups.get(group);
    List<LogEvent> events = streams == null ? null : streams.get(stream);
    return events == null ? List.of() : List.copyOf(events);
  }

  public Map<String, List<String>> streams() {
    Map<String, List<String>> view = new LinkedHashMap<>();
    groups.forEach((group, streams) -> view.put(group, List.copyOf(streams.keySet())));
    return view;
  }

  public List<Datum> datums() {
    return List.copyOf(datums);
  }

  /** Requests the real service would have refused for breaking a limit or the ordering rule. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Events in each PutLogEvents call accepted, in order. */
  public List<Integer> putLogEventsSizes() {
    return List.copyOf(putLogEventsSizes);
  }

  public int calls(String operation) {
    AtomicInteger count = calls.get(operation);
    return count == null ? 0 : count.get();
  }

  /** Puts events into a stream directly (as another writer would), creating group and stream. */
  public void put(String group, String stream, List<LogEvent> events) {
    List<LogEvent> target = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>());
    target.addAll(events);
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String target = request.getHeader("X-Amz-Target");
      String operation = target != null ? target.substring(target.indexOf('.') + 1)
        : request.path().substring(request.path().lastIndexOf('/') + 1);
      calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
      boolean cbor = request.path().startsWith("/service/");
      if (faulted()) {
        answerFault(request, cbor);
        return;
      }
      try {
        if (cbor) {
          handleMetrics(request, operation, body);
        } else {
          handleLogs(request, operation, new JsonObject(body));
        }
      } catch (RuntimeException | IOException e) {
        violations.add(operation + ": " + e.getMessage());
        logsError(request, 400, "InvalidParameterException", e.getMessage());
      }
    });
  }

  private boolean faulted() {
    if (fault == Fault.NONE) {
      return false;
    }
    if (faultsLeft.get() >= 0 && faultsLeft.getAndDecrement() <= 0) {
      fault = Fault.NONE;
      return false;
    }
    return true;
  }

  private void answerFault(HttpServerRequest request, boolean cbor) {
    Fault current = fault;
    if (cbor) {
      int status = current == Fault.THROTTLING ? 400 : 500;
      byte[] body;
      try {
        body = CBOR.writeValueAsBytes(Map.of("__type", current == Fault.THROTTLING ? "Throttling" : "InternalServiceFault",
          "message", current == Fault.THROTTLING ? "Rate exceeded" : "Internal failure"));
      } catch (IOException e) {
        body = new byte[0];
      }
      request.response().setStatusCode(status).putHeader("smithy-protocol", "rpc-v2-cbor")
        .putHeader("Content-Type", "application/cbor").end(Buffer.buffer(body));
    } else if (current == Fault.THROTTLING) {
      logsError(request, 400, "ThrottlingException", "Rate exceeded");
    } else {
      logsError(request, 500, "ServiceUnavailableException", "The service is unavailable");
    }
  }

  // ---------------------------------------------------------------- CloudWatch Logs, JSON 1.1

  private void handleLogs(HttpServerRequest request, String operation, JsonObject body) {
    String group = body.getString("logGroupName");
    String stream = body.getString("logStreamName");
    switch (operation) {
      case "CreateLogGroup" -> {
        if (groups.putIfAbsent(group, new ConcurrentHashMap<>()) != null) {
          logsError(request, 400, "ResourceAlreadyExistsException", "The specified log group already exists");
        } else {
          logsOk(request, new JsonObject());
        }
      }
      case "CreateLogStream" -> {
        Map<String, List<LogEvent>> streams = groups.get(group);
        if (streams == null) {
          logsError(request, 400, "ResourceNotFoundException", "The specified log group does not exist.");
        } else if (streams.putIfAbsent(stream, new CopyOnWriteArrayList<>()) != null) {
          logsError(request, 400, "ResourceAlreadyExistsException", "The specified log stream already exists");
        } else {
          logsOk(request, new JsonObject());
        }
      }
      case "DescribeLogStreams" -> describeStreams(request, group, body.getString("logStreamNamePrefix", ""));
      case "PutLogEvents" -> putLogEvents(request, group, stream, body.getJsonArray("logEvents", new JsonArray()));
      case "GetLogEvents" -> getLogEvents(request, group, stream, body);
      case "FilterLogEvents" -> filterLogEvents(request, group, body);
      default -> logsError(request, 400, "UnknownOperationException", "not implemented by the stand-in: " + operation);
    }
  }

  private void describeStreams(HttpServerRequest request, String group, String prefix) {
    Map<String, List<LogEvent>> streams = groups.get(group);
    if (streams == null) {
      logsError(request, 400, "ResourceNotFoundException", "The specified log group does not exist.");
      return;
    }
    JsonArray described = new JsonArray();
    streams.keySet().stream().filter(name -> name.startsWith(prefix)).sorted()
      .forEach(name -> described.add(new JsonObject().put("logStreamName", name).put("creationTime", System.currentTimeMillis())));
    logsOk(request, new JsonObject().put("logStreams", described));
  }

  private void putLogEvents(HttpServerRequest request, String group, String stream, JsonArray events) {
    Map<String, List<LogEvent>> streams = groups.get(group);
    List<LogEvent> target = streams == null ? null : streams.get(stream);
    if (target == null) {
      logsError(request, 400, "ResourceNotFoundException", "The specified log " + (streams == null ? "group" : "stream") + " does not exist.");
      return;
    }
    String refusal = checkBatch(events);
    if (refusal != null) {
      violations.add("PutLogEvents: " + refusal);
      logsError(request, 400, "InvalidParameterException", refusal);
      return;
    }
    long now = System.currentTimeMillis();
    Integer tooOldEnd = null;
    Integer tooNewStart = null;
    List<LogEvent> accepted = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      long timestamp = event.getLong("timestamp");
      if (timestamp < now - MAX_AGE_MILLIS) {
        tooOldEnd = i + 1;
      } else if (timestamp > now + MAX_FUTURE_MILLIS) {
        tooNewStart = tooNewStart == null ? i : tooNewStart;
      } else {
        accepted.add(new LogEvent(timestamp, event.getString("message"), now, String.valueOf(eventIds.incrementAndGet()), stream));
      }
    }
    target.addAll(accepted);
    putLogEventsSizes.add(events.size());
    JsonObject response = new JsonObject().put("nextSequenceToken", String.valueOf(eventIds.get()));
    if (tooOldEnd != null || tooNewStart != null) {
      JsonObject rejected = new JsonObject();
      if (tooOldEnd != null) {
        rejected.put("tooOldLogEventEndIndex", tooOldEnd);
      }
      if (tooNewStart != null) {
        rejected.put("tooNewLogEventStartIndex", tooNewStart);
      }
      response.put("rejectedLogEventsInfo", rejected);
    }
    logsOk(request, response);
  }

  /** The limits CloudWatch Logs puts on one PutLogEvents call; null when the batch keeps them all. */
  static String checkBatch(JsonArray events) {
    if (events.isEmpty()) {
      return "logEvents must not be empty";
    }
    if (events.size() > MAX_EVENTS) {
      return "more than " + MAX_EVENTS + " events in one call: " + events.size();
    }
    long bytes = 0;
    long first = events.getJsonObject(0).getLong("timestamp");
    long previous = first;
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      long timestamp = event.getLong("timestamp");
      bytes += event.getString("message").getBytes(StandardCharsets.UTF_8).length + 26;
      if (timestamp < previous) {
        return "Log events in a single PutLogEvents request must be in chronological order (event " + i + ")";
      }
      if (timestamp - first > MAX_SPAN_MILLIS) {
        return "A batch of log events in a single request cannot span more than 24 hours (event " + i + ")";
      }
      previous = timestamp;
    }
    if (bytes > MAX_BATCH_BYTES) {
      return "batch of " + bytes + " bytes is over " + MAX_BATCH_BYTES;
    }
    return null;
  }

  private void getLogEvents(HttpServerRequest request, String group, String stream, JsonObject body) {
    List<LogEvent> events = events(group, stream);
    int limit = body.getInteger("limit", 10_000);
    String token = body.getString("nextToken");
    int from = token == null ? 0 : Integer.parseInt(token.substring(2));
    int to = Math.min(events.size(), from + limit);
    JsonArray page = new JsonArray();
    for (LogEvent event : events.subList(from, to)) {
      page.add(new JsonObject().put("timestamp", event.timestamp()).put("message", event.message()).put("ingestionTime", event.ingestionTime()));
    }
    // the SDK's paginator stops when the forward token comes back unchanged
    logsOk(request, new JsonObject().put("events", page).put("nextForwardToken", "f/" + to).put("nextBackwardToken", "b/" + from));
  }

  private void filterLogEvents(HttpServerRequest request, String group, JsonObject body) {
    Map<String, List<LogEvent>> streams = groups.get(group);
    if (streams == null) {
      logsError(request, 400, "ResourceNotFoundException", "The specified log group does not exist.");
      return;
    }
    JsonArray names = body.getJsonArray("logStreamNames");
    long start = body.getLong("startTime", 0L);
    long end = body.getLong("endTime", Long.MAX_VALUE);
    int limit = body.getInteger("limit", 10_000);
    FilterPattern pattern = FilterPattern.parse(body.getString("filterPattern", ""));
    List<LogEvent> matching = new ArrayList<>();
    streams.forEach((stream, events) -> {
      if (names == null || names.contains(stream)) {
        for (LogEvent event : events) {
          if (event.timestamp() >= start && event.timestamp() <= end && pattern.matches(event.message())) {
            matching.add(event);
          }
        }
      }
    });
    matching.sort((a, b) -> a.timestamp() != b.timestamp() ? Long.compare(a.timestamp(), b.timestamp())
      : Long.compare(Long.parseLong(a.eventId()), Long.parseLong(b.eventId())));
    String token = body.getString("nextToken");
    int from = token == null ? 0 : Integer.parseInt(token);
    int to = Math.min(matching.size(), from + limit);
    JsonArray page = new JsonArray();
    for (LogEvent event : matching.subList(from, to)) {
      page.add(new JsonObject().put("logStreamName", event.stream()).put("timestamp", event.timestamp()).put("message", event.message())
        .put("ingestionTime", event.ingestionTime()).put("eventId", event.eventId()));
    }
    JsonObject response = new JsonObject().put("events", page).put("searchedLogStreams", new JsonArray());
    if (to < matching.size()) {
      response.put("nextToken", String.valueOf(to));
    }
    logsOk(request, response);
  }

  private static void logsOk(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/x-amz-json-1.1").end(body.encode());
  }

  private static void logsError(HttpServerRequest request, int status, String type, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/x-amz-json-1.1")
      .putHeader("x-amzn-ErrorType", type)
      .end(new JsonObject().put("__type", type).put("message", message).encode());
  }

  // ---------------------------------------------------------------- CloudWatch, RPC v2 CBOR

  private void handleMetrics(HttpServerRequest request, String operation, Buffer body) throws IOException {
    if (!"PutMetricData".equals(operation)) {
      request.response().setStatusCode(400).putHeader("smithy-protocol", "rpc-v2-cbor").end();
      return;
    }
    JsonNode root = CBOR.readTree(body.getBytes());
    String namespace = root.path("Namespace").asText();
    JsonNode data = root.path("MetricData");
    if (data.size() > 1000) {
      violations.add("PutMetricData: more than 1000 datums in one call: " + data.size());
    }
    for (JsonNode datum : data) {
      Map<String, String> dimensions = new LinkedHashMap<>();
      datum.path("Dimensions").forEach(dimension -> dimensions.put(dimension.path("Name").asText(), dimension.path("Value").asText()));
      Map<String, Double> statistics = null;
      if (datum.has("StatisticValues")) {
        JsonNode set = datum.path("StatisticValues");
        statistics = Map.of("SampleCount", set.path("SampleCount").asDouble(), "Sum", set.path("Sum").asDouble(),
          "Minimum", set.path("Minimum").asDouble(), "Maximum", set.path("Maximum").asDouble());
      }
      double seconds = datum.path("Timestamp").asDouble();
      datums.add(new Datum(namespace, datum.path("MetricName").asText(), Collections.unmodifiableMap(dimensions),
        Instant.ofEpochMilli(Math.round(seconds * 1000)), datum.has("Value") ? datum.path("Value").asDouble() : null,
        doubles(datum.path("Values")), doubles(datum.path("Counts")), statistics,
        datum.has("Unit") ? datum.path("Unit").asText() : null,
        datum.has("StorageResolution") ? datum.path("StorageResolution").asInt() : null));
    }
    request.response().setStatusCode(200).putHeader("smithy-protocol", "rpc-v2-cbor").end();
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asDouble()));
    return values;
  }

}
