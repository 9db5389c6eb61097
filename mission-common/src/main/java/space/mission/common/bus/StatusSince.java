package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A request on {@code mission.status.since}: the status updates recorded after update id
 * {@code after}, oldest first, at most {@code limit} of them (1 to {@link Addresses#STATUS_SINCE_MAX_LIMIT};
 * a larger or missing limit asks for the largest page). {@code {"v":1,"after":id,"limit":n}}
 */
public record StatusSince(long after, int limit) {

  public StatusSince {
    limit = Math.max(1, Math.min(Addresses.STATUS_SINCE_MAX_LIMIT, limit));
  }

  public JsonObject toJson() {
    return Payloads.versioned().put("after", after).put("limit", limit);
  }

  /** Reads a request; a missing {@code after} is 0 (from the start). Throws {@link IllegalArgumentException} when a field is not a number. */
  public static StatusSince fromJson(JsonObject json) {
    try {
      return new StatusSince(json.getLong("after", 0L), json.getInteger("limit", Addresses.STATUS_SINCE_MAX_LIMIT));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("after and limit must be numbers: " + json.encode(), e);
    }
  }
}
