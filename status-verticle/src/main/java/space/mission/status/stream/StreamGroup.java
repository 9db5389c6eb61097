package space.mission.status.stream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The feed's clients on one HTTP event loop. Every event reaches the group in one hop to its loop;
 * the group hands it to each of its clients there, so a client is only ever touched by its own
 * loop. Also sends the heartbeat comment that keeps proxies from closing an idle stream.
 *
 * <p>Events that come close together are written in batches, as much as the load asks for. Nearly
 * all of a delivery's cost is the socket write, one per client, so after each write the loop holds
 * the next events back until the feed's writes have taken no more than {@code writeShare} of its
 * time (after a write to 500 clients that took 5 ms, the next starts 50 ms after it at the default 0.1),
 * never longer than {@code batchWindow}; then every event that came meanwhile goes out in one
 * write per client. An event after a quiet spell is written at once, and a loop with few clients
 * hardly ever holds one back.
 */
public final class StreamGroup {

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Vertx vertx;
  private final Context context;
  private final LiveFeed feed;
  private final Set<StreamClient> clients = new LinkedHashSet<>();
  private final long heartbeatTimer;
  private final long batchWindowNanos;
  /** A batch that took t to write lets the next start t * holdFactor after it began: 1 / writeShare. */
  private final double holdFactor;
  /** Events handed over by the feed's context, not yet written; the loop takes them all at once. */
  private final Queue<FeedEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Until when events are held back after the last batch (System.nanoTime, on the loop). */
  private long holdUntil = Long.MIN_VALUE / 2;

  /** Created on the HTTP event loop it serves. */
  public StreamGroup(Vertx vertx, LiveFeed feed) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.feed = feed;
    this.batchWindowNanos = feed.settings().batchWindow().toNanos();
    this.holdFactor = 1 / feed.settings().writeShare();
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

  /** Called on the feed's context, in the feed's order. */
  void dispatch(FeedEvent event) {
    pending.add(event);
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> writeSoon());
    }
  }

  private void writeSoon() {
    long wait = holdUntil - System.nanoTime();
    if (wait >= 1_000_000) {
      vertx.setTimer(wait / 1_000_000, t -> writePending());
    } else {
      writePending();
    }
  }

  private void writePending() {
    // cleared before taking the events: one added after this schedules a batch of its own
    scheduled.set(false);
    List<FeedEvent> batch = new ArrayList<>();
    for (FeedEvent event; (event = pending.poll()) != null; ) {
      batch.add(event);
    }
    if (batch.isEmpty()) {
      return;
    }
    long began = System.nanoTime();
    FeedBatch frames = FeedBatch.of(batch);
    for (StreamClient client : clients.toArray(StreamClient[]::new)) {
      client.offer(frames);
    }
    long took = System.nanoTime() - began;
    holdUntil = began + Math.min(batchWindowNanos, (long) (took * holdFactor));
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
