package space.mission.status.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The feed's clients on one HTTP event loop. Every event reaches the group in one hop to its loop;
 * the group hands it to each of its clients there, so a client is only ever touched by its own
 * loop. Also sends the heartbeat comment that keeps proxies from closing an idle stream.
 */
public final class StreamGroup {

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Vertx vertx;
  private final Context context;
  private final LiveFeed feed;
  private final Set<StreamClient> clients = new LinkedHashSet<>();
  private final long heartbeatTimer;

  /** Created on the HTTP event loop it serves. */
  public StreamGroup(Vertx vertx, LiveFeed feed) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.feed = feed;
    feed.register(this);
    this.heartbeatTimer = vertx.setPeriodic(feed.settings().heartbeat().toMillis(), id -> {
      for (StreamClient client : clients.toArray(StreamClient[]::new)) {
        client.write(HEARTBEAT);
      }
    });
  }

  public LiveFeed feed() {
    return feed;
  }

  Vertx vertx() {
    return vertx;
  }

  Context context() {
    return context;
  }

  void dispatch(FeedEvent event) {
    context.runOnContext(v -> {
      for (StreamClient client : clients.toArray(StreamClient[]::new)) {
        client.offer(event);
      }
    });
  }

  /** Starts streaming the answer to {@code request}, from where {@code lastEventId} (may be null) left off. */
  public void join(HttpServerRequest request, StreamFilter filter, String lastEventId) {
    feed.attach(new StreamClient(this, request, filter), lastEventId);
  }

  void add(StreamClient client) {
    clients.add(client);
  }

  void remove(StreamClient client) {
    clients.remove(client);
  }

  /** Ends every stream (the server is stopping): clients reconnect elsewhere with their Last-Event-ID. */
  public void close() {
    vertx.cancelTimer(heartbeatTimer);
    feed.unregister(this);
    for (StreamClient client : clients.toArray(StreamClient[]::new)) {
      client.end();
    }
  }
}
