package space.mission.status.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import space.mission.status.db.UpdateRepository;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live feed of one status instance: relays what crosses the clustered bus (status updates,
 * readings, alert and backup events) to its SSE clients. Events are numbered and kept in a bounded
 * ring on this feed's context, then handed to each HTTP event loop's {@link StreamGroup}, which
 * writes them to its clients. A reconnecting client is caught up from the ring, else from the
 * database (status updates only), else told to start over with a {@code reset} event.
 */
public final class LiveFeed {

  private final Context context;
  private final StreamSettings settings;
  private final UpdateRepository updates;
  private final FeedRing ring;
  /** Tells this instance's event ids from another's, and from its own before a restart. */
  private final String epoch;
  private final List<StreamGroup> groups = new CopyOnWriteArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final Counter resets;
  private final Counter cutOffs;
  private long statusCursor;

  public LiveFeed(Context context, StreamSettings settings, UpdateRepository updates, MeterRegistry registry) {
    this.context = context;
    this.settings = settings;
    this.updates = updates;
    this.ring = new FeedRing(settings.ring());
    this.epoch = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    Gauge.builder("mission.stream.clients", clients, AtomicInteger::get).description("Clients of the live feed").register(registry);
    this.resets = Counter.builder("mission.stream.resets").description("reset events sent to clients that lost events").register(registry);
    this.cutOffs = Counter.builder("mission.stream.cutoffs").description("Clients disconnected for falling too far behind").register(registry);
  }

  public StreamSettings settings() {
    return settings;
  }

  /** Relays one bus payload; runs on this feed's context (the bus consumers' one). */
  public void relay(FeedKind kind, JsonObject payload) {
    String mission = null;
    String host = null;
    long updateId = 0;
    switch (kind) {
      case STATUS -> {
        mission = payload.getString("missionId");
        updateId = payload.getLong("id", 0L);
        statusCursor = Math.max(statusCursor, updateId);
      }
      case READING -> host = payload.getString("host");
      case ALERT -> {
        JsonObject labels = payload.getJsonObject("labels", new JsonObject());
        mission = labels.getString("mission");
        host = labels.getString("host");
      }
      case BACKUP -> {
        // no mission or host: every client asking for backups gets them
      }
    }
    long seq = ring.nextSeq();
    String id = FeedEvent.id(epoch, seq, statusCursor);
    FeedEvent event = new FeedEvent(seq, kind, mission, host, updateId, id, FeedEvent.frame(id, kind.eventName(), payload));
    ring.add(event);
    for (StreamGroup group : groups) {
      group.dispatch(event);
    }
  }

  void register(StreamGroup group) {
    groups.add(group);
  }

  void unregister(StreamGroup group) {
    groups.remove(group);
  }

  /** Counts a new client in; false when the instance already holds as many as it may. */
  public boolean admit() {
    if (clients.incrementAndGet() > settings.maxClients()) {
      clients.decrementAndGet();
      return false;
    }
    return true;
  }

  void left() {
    clients.decrementAndGet();
  }

  void countCutOff() {
    cutOffs.increment();
  }

  /**
   * Joins {@code client} to the feed from where its {@code Last-Event-ID} left off. Decided on the
   * feed's context, so no event falls between the catch-up and the live events that follow it.
   */
  void attach(StreamClient client, String lastEventId) {
    context.runOnContext(v -> {
      long position = ring.nextSeq() - 1;
      String here = FeedEvent.id(epoch, position, statusCursor);
      if (lastEventId == null) {
        client.start(List.of(), position, here);
        return;
      }
      EventId last = EventId.parse(lastEventId);
      List<FeedEvent> missed = last != null && last.epoch().equals(epoch) ? ring.after(last.seq(), client.filter()) : null;
      if (missed != null) {
        client.start(missed, position, here);
      } else if (last != null && client.filter().onlyStatus() && settings.replayLimit() > 0) {
        client.catchUp(updates, last.statusCursor(), settings.replayLimit(), epoch, position, statusCursor, here);
      } else {
        client.reset(position, here, last == null ? "Last-Event-ID \"" + lastEventId + "\" is not an id this feed sent"
          : "the events after " + lastEventId + " are no longer held here; reload what you show and carry on from this event");
      }
    });
  }

  void countReset() {
    resets.increment();
  }

  /** The parts of an event id: this feed's epoch, the sequence number, the status update cursor. */
  record EventId(String epoch, long seq, long statusCursor) {

    static EventId parse(String id) {
      String[] parts = id.split("-", -1);
      if (parts.length != 3 || parts[0].isEmpty()) {
        return null;
      }
      try {
        long seq = Long.parseLong(parts[1]);
        long cursor = Long.parseLong(parts[2]);
        return seq < 0 || cursor < 0 ? null : new EventId(parts[0], seq, cursor);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
