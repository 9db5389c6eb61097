package space.mission.runtime.spool;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Data that could not be delivered and never will be: what a spool dropped to stay bounded, or
 * what the receiver refused as too old. It is written where the data would have gone (the log
 * stream) as an explicit record, so a gap is never silent.
 */
public record Gap(String kind, long count, Instant from, Instant to, String why) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("v", 1)
      .put("type", "gap")
      .put("kind", kind)
      .put("dropped", count)
      .put("from", from.toString())
      .put("to", to.toString())
      .put("why", why);
  }

  @Override
  public String toString() {
    return count + " " + kind + " from " + from + " to " + to + " (" + why + ")";
  }
}
