package space.mission.status.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One event of the live feed, encoded once as its Server-Sent Events frame and shared by every
 * client that receives it. Its {@code id} is {@code epoch-seq-statusCursor}: the feed instance, the
 * event's number in that feed, and the highest status update id the feed had relayed when it was
 * sent, so a client's {@code Last-Event-ID} says what it has seen even to another instance.
 */
public record FeedEvent(long seq, FeedKind kind, String mission, String host, long updateId, String id, Buffer frame) {

  static String id(String epoch, long seq, long statusCursor) {
    return epoch + "-" + seq + "-" + statusCursor;
  }

  static Buffer frame(String id, String event, JsonObject data) {
    // JSON encodes newlines inside strings as \n, so the payload is always one data line
    return Buffer.buffer(("id: " + id + "\nevent: " + event + "\ndata: " + data.encode() + "\n\n").getBytes(StandardCharsets.UTF_8));
  }
}
