package space.mission.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client for tests: opens a stream, parses it into {@link Event}s as the
 * specification says (fields, blank-line dispatch, comments) and queues them for the test thread.
 */
public final class SseClient implements AutoCloseable {

  /** One dispatched event; {@code comment} holds a comment line (a heartbeat) instead. */
  public record Event(String id, String event, String data, String comment) {

    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final HttpClient client;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Parser parser = new Parser();
  private HttpClientResponse response;
  private volatile boolean ended;

  private SseClient(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code path} on 127.0.0.1:{@code port}; {@code lastEventId} may be null. Fails unless the answer is 200. */
  public static SseClient open(Vertx vertx, int port, String path, String lastEventId) {
    SseClient sse = new SseClient(vertx.createHttpClient());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path)
      .putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    try {
      // the handlers are set on the event loop as the answer arrives: data read before they are set would be lost
      sse.response = sse.client.request(options).compose(request -> request.send()).compose(response -> {
        if (response.statusCode() != 200) {
          return response.body().compose(body -> Future.failedFuture(
            new AssertionError("stream " + path + " answered " + response.statusCode() + ": " + body)));
        }
        response.handler(RecordParser.newDelimited("\n", line -> sse.parser.line(line.toString(StandardCharsets.UTF_8))));
        response.endHandler(v -> sse.ended = true);
        response.exceptionHandler(e -> sse.ended = true);
        return Future.succeededFuture(response);
      }).await();
    } catch (RuntimeException | AssertionError e) {
      sse.client.close();
      throw e;
    }
    return sse;
  }

  public HttpClientResponse response() {
    return response;
  }

  /** The next event that is not a comment, or an AssertionError after {@code timeout}. */
  public Event next(Duration timeout) {
    return next(event -> event.comment() == null, timeout);
  }

  /** The next event (comments included) that {@code wanted} accepts; others before it are dropped. */
  public Event next(Predicate<Event> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
        if (event == null) {
          throw new AssertionError("no expected event within " + timeout + (ended ? " (the stream ended)" : ""));
        }
        if (wanted.test(event)) {
          return event;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next {@code count} events that are not comments. */
  public List<Event> take(int count, Duration timeout) {
    List<Event> taken = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (taken.size() < count) {
      taken.add(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
    }
    return taken;
  }

  /** The events (not comments) that arrive within {@code window}: what a test uses to show nothing more came. */
  public List<Event> drain(Duration window) {
    List<Event> seen = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    try {
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        Event event = events.poll(left, TimeUnit.NANOSECONDS);
        if (event != null && event.comment() == null) {
          seen.add(event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return seen;
  }

  public boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    client.close().await();
  }

  /** The event-stream grammar: fields accumulate until a blank line dispatches them. */
  private final class Parser {
    private String id;
    private String event;
    private StringBuilder data;

    void line(String raw) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(id, event == null ? "message" : event, data.toString(), null));
        }
        event = null;
        data = null;
        return;
      }
      if (line.startsWith(":")) {
        events.add(new Event(null, null, null, line.substring(1).trim()));
        return;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).startsWith(" ") ? line.substring(colon + 2) : line.substring(colon + 1);
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {
          // retry and unknown fields change nothing a test looks at
        }
      }
    }
  }
}
