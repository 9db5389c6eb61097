package space.mission.status.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.StatusUpdate;
import space.mission.status.db.UpdateRepository;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One SSE connection, used only on its HTTP event loop. Frames go straight to the socket while it
 * keeps up; otherwise they wait in a queue bounded by {@code clientQueue} events. A client whose
 * queue overflows is sent a {@code reset} and disconnected, so it never holds the server back.
 * Live events come in batches ({@link FeedBatch}); the client writes the ones it takes at once.
 */
final class StreamClient {

  private static final Logger LOG = LoggerFactory.getLogger(StreamClient.class);
  private static final long CUT_OFF_GRACE_MS = 5_000;

  private final StreamGroup group;
  private final HttpConnection connection;
  private final HttpServerResponse response;
  private final StreamFilter filter;
  private final int maxQueued;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private int queuedEvents;
  /** Live events numbered up to this one were sent before the client joined, or are in what it missed. */
  private long joinedAfter = Long.MAX_VALUE;
  /** Live events that arrive while the client is caught up from the database; null otherwise. */
  private List<FeedEvent> held;
  /**
   * Status updates the database catch-up sent that were committed after the client joined: their
   * live copies may still arrive from the bus, and are not sent twice.
   */
  private final Set<Long> replayed = new HashSet<>();
  /** The id of the newest event handed to this client: where a reset tells it to carry on from. */
  private String position;
  private boolean closed;

  StreamClient(StreamGroup group, HttpServerRequest request, StreamFilter filter) {
    this.group = group;
    this.connection = request.connection();
    this.response = request.response();
    this.filter = filter;
    this.maxQueued = group.feed().settings().clientQueue();
    response.drainHandler(v -> drain());
    response.closeHandler(v -> closed());
  }

  StreamFilter filter() {
    return filter;
  }

  /** Called on the feed's context: sends what the client missed, then it is live from event {@code seq} on. */
  void start(List<FeedEvent> missed, long seq, String here) {
    group.context().runOnContext(v -> {
      if (closed) {
        return;
      }
      joinedAfter = seq;
      position = here;
      group.add(this);
      for (FeedEvent event : missed) {
        position = event.id();
        write(event.frame());
      }
    });
  }

  /** Called on the feed's context: the client missed only status updates the ring no longer holds; they come from the database. */
  void catchUp(UpdateRepository updates, long afterUpdate, int limit, String epoch, long seq, long joinedAt, String here) {
    group.context().runOnContext(v -> {
      if (closed) {
        return;
      }
      joinedAfter = seq;
      position = here;
      held = new ArrayList<>();
      group.add(this);
      updates.allAfter(afterUpdate, filter.missions(), limit + 1).onComplete(found -> {
        if (closed) {
          return; // gone, or cut off while the database answered
        }
        List<FeedEvent> live = held;
        held = null;
        if (found.failed()) {
          LOG.warn("A stream could not be caught up from the database: {}", found.cause().getMessage());
          sendReset("the missed status updates cannot be read now (" + found.cause().getMessage() + "); reload what you show");
          offer(FeedBatch.of(live));
          return;
        }
        if (found.result().size() > limit) {
          sendReset("more than " + limit + " status updates were missed; reload what you show and carry on from this event");
          offer(FeedBatch.of(live));
          return;
        }
        long newest = afterUpdate;
        for (StatusUpdate update : found.result()) {
          newest = Math.max(newest, update.id());
          position = FeedEvent.id(epoch, seq, newest);
          write(FeedEvent.frame(position, FeedKind.STATUS.eventName(), update.toJson()));
          if (update.id() > joinedAt) {
            replayed.add(update.id());
          }
        }
        offer(FeedBatch.of(live));
      });
    });
  }

  /** Called on the feed's context: the client's Last-Event-ID cannot be caught up; it starts over from event {@code seq}. */
  void reset(long seq, String here, String reason) {
    group.context().runOnContext(v -> {
      if (closed) {
        return;
      }
      joinedAfter = seq;
      position = here;
      group.add(this);
      sendReset(reason);
    });
  }

  /** Hands a batch of live events to the client: it writes the ones it asked for, in one write. */
  void offer(FeedBatch batch) {
    List<FeedEvent> events = batch.events();
    List<FeedEvent> taken = taken(events);
    if (taken.isEmpty()) {
      return;
    }
    if (held != null) {
      hold(taken);
      return;
    }
    position = taken.get(taken.size() - 1).id();
    write(taken == events ? batch.frames() : FeedBatch.join(taken), taken.size());
  }

  /**
   * The events the client asked for, each looked at once; {@code events} itself when it asked for
   * all of them (the common case: the batch's one shared buffer is written, nothing is copied).
   */
  private List<FeedEvent> taken(List<FeedEvent> events) {
    List<FeedEvent> taken = null;
    for (int i = 0; i < events.size(); i++) {
      boolean takes = takes(events.get(i));
      if (taken == null && !takes) {
        taken = new ArrayList<>(events.subList(0, i));
      } else if (taken != null && takes) {
        taken.add(events.get(i));
      }
    }
    return taken == null ? events : taken;
  }

  private boolean takes(FeedEvent event) {
    return event.seq() > joinedAfter && filter.accepts(event)
      && !(event.kind() == FeedKind.STATUS && !replayed.isEmpty() && replayed.remove(event.updateId()));
  }

  private void hold(List<FeedEvent> events) {
    held.addAll(events);
    if (held.size() > maxQueued) {
      cutOff();
    }
  }

  void write(Buffer frame) {
    write(frame, 1);
  }

  /** Writes {@code frames}, which hold {@code events} events, or queues them behind the ones waiting. */
  private void write(Buffer frames, int events) {
    if (closed) {
      return;
    }
    if (queue.isEmpty() && !response.writeQueueFull()) {
      response.write(frames);
      return;
    }
    queue.add(new Queued(frames, events));
    queuedEvents += events;
    if (queuedEvents > maxQueued) {
      cutOff();
    }
  }

  private void drain() {
    while (!closed && !queue.isEmpty() && !response.writeQueueFull()) {
      Queued next = queue.poll();
      queuedEvents -= next.events();
      response.write(next.frames());
    }
  }

  private void sendReset(String reason) {
    group.feed().countReset();
    response.write(resetFrame(reason));
  }

  private Buffer resetFrame(String reason) {
    return FeedEvent.frame(position, "reset", new JsonObject().put("reason", reason).put("at", Instant.now().toString()));
  }

  /** Too far behind: the queue is dropped, the client told, and the connection closed. */
  private void cutOff() {
    if (closed) {
      return;
    }
    group.feed().countCutOff();
    queue.clear();
    queuedEvents = 0;
    held = null;
    LOG.info("A stream client fell more than {} events behind; sent reset and disconnected", maxQueued);
    response.write(resetFrame("this client fell more than " + maxQueued + " events behind; reload what you show and reconnect"));
    closed();
    // the reset goes out behind what the socket already holds; a client that reads nothing is closed anyway
    long timer = group.vertx().setTimer(CUT_OFF_GRACE_MS, t -> connection.close());
    response.end().onComplete(ended -> {
      group.vertx().cancelTimer(timer);
      connection.close();
    });
  }

  /** Ends the stream normally (the server is stopping). */
  void end() {
    if (!closed) {
      closed();
      response.end();
    }
  }

  private void closed() {
    if (!closed) {
      closed = true;
      group.remove(this);
      group.feed().left();
    }
  }

  /** Frames waiting for the socket, and how many events they hold. */
  private record Queued(Buffer frames, int events) {
  }
}
