package space.mission.status.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import space.mission.status.stream.FeedKind;
import space.mission.status.stream.StreamFilter;
import space.mission.status.stream.StreamGroup;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/v1/stream}: the live feed as Server-Sent Events, for this event loop's clients. */
final class StreamHandler {

  /** How long a browser waits before reconnecting after the stream drops (the SSE retry field). */
  private static final int RETRY_MILLIS = 2_000;

  private final StreamGroup group;

  StreamHandler(StreamGroup group) {
    this.group = group;
  }

  void stream(RoutingContext ctx) {
    StreamFilter filter = new StreamFilter(kinds(Requests.query(ctx, "kinds")), names(Requests.query(ctx, "missions")),
      names(Requests.query(ctx, "hosts")));
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      // what a client that cannot set headers (a plain link, curl) may send instead
      lastEventId = Requests.query(ctx, "lastEventId");
    }
    if (!group.feed().admit()) {
      throw new ApiException(503, "too-many-streams", "Too many stream clients",
        "this instance already serves " + group.feed().settings().maxClients() + " stream clients; try another instance or later", null,
        Map.of("Retry-After", "5"));
    }
    HttpServerResponse response = ctx.response()
      .setChunked(true)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      // compression would hold events back until a buffer fills; proxies must not buffer either
      .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
      .putHeader("X-Accel-Buffering", "no");
    response.write("retry: " + RETRY_MILLIS + "\n\n");
    group.join(ctx.request(), filter, lastEventId);
  }

  private static Set<FeedKind> kinds(String list) {
    Set<FeedKind> kinds = EnumSet.noneOf(FeedKind.class);
    for (String name : names(list)) {
      FeedKind kind = FeedKind.named(name);
      if (kind == null) {
        throw ApiException.badRequest("kinds: unknown kind \"" + name + "\"; choose from "
          + Arrays.stream(FeedKind.values()).map(FeedKind::eventName).toList());
      }
      kinds.add(kind);
    }
    return kinds;
  }

  private static Set<String> names(String list) {
    Set<String> names = new LinkedHashSet<>();
    if (list != null) {
      for (String name : list.split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    return names;
  }
}
