package space.mission.backup.catalog;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One backup run as the catalog knows it. */
public record CatalogEntry(String id, State state, String trigger, String requestedBy, String reason, Instant startedAt, Instant finishedAt,
                           Integer tables, Long rows, Long bytes, String manifestSha256, String location, Boolean verified,
                           Instant verifiedAt, JsonObject verification, String error) {

  public enum State { RUNNING, SUCCEEDED, FAILED }

  /** How the run came about. */
  public static final String SCHEDULE = "schedule";
  public static final String REQUEST = "request";
  /** Found in the store without a catalog row (the catalog was lost or the database restored). */
  public static final String FOUND = "found";

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("state", state.name())
      .put("trigger", trigger)
      .put("requestedBy", requestedBy)
      .put("reason", reason)
      .put("startedAt", startedAt.toString())
      .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
      .put("tables", tables)
      .put("rows", rows)
      .put("bytes", bytes)
      .put("checksum", manifestSha256)
      .put("location", location)
      .put("verified", verified)
      .put("verifiedAt", verifiedAt == null ? null : verifiedAt.toString())
      .put("error", error);
  }
}
