package space.mission.status.stream;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Events an HTTP event loop writes together (see {@link StreamGroup}), with their frames joined
 * once for all the clients that take every one of them.
 */
record FeedBatch(List<FeedEvent> events, Buffer frames) {

  static FeedBatch of(List<FeedEvent> events) {
    return new FeedBatch(events, join(events));
  }

  /** The events' frames as one buffer, in order. */
  static Buffer join(List<FeedEvent> events) {
    if (events.size() == 1) {
      return events.get(0).frame();
    }
    int length = 0;
    for (FeedEvent event : events) {
      length += event.frame().length();
    }
    Buffer joined = Buffer.buffer(length);
    for (FeedEvent event : events) {
      joined.appendBuffer(event.frame());
    }
    return joined;
  }
}
