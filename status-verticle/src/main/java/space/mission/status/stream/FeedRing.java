package space.mission.status.stream;

import java.util.ArrayList;
import java.util.List;

/** The newest {@code capacity} events of the feed, for clients that reconnect; used on the feed's context only. */
final class FeedRing {

  private final FeedEvent[] slots;
  private long next = 1;

  FeedRing(int capacity) {
    this.slots = new FeedEvent[capacity];
  }

  long nextSeq() {
    return next;
  }

  void add(FeedEvent event) {
    slots[(int) (event.seq() % slots.length)] = event;
    next = event.seq() + 1;
  }

  /**
   * The events after {@code seq} that pass {@code filter}, oldest first; null when the ring no
   * longer holds all of them (or {@code seq} is not one this feed has sent).
   */
  List<FeedEvent> after(long seq, StreamFilter filter) {
    long oldest = Math.max(1, next - slots.length);
    if (seq < oldest - 1 || seq >= next) {
      return null;
    }
    List<FeedEvent> missed = new ArrayList<>();
    for (long s = seq + 1; s < next; s++) {
      FeedEvent event = slots[(int) (s % slots.length)];
      if (filter.accepts(event)) {
        missed.add(event);
      }
    }
    return missed;
  }
}
