package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A mission as stored: what {@code mission.status.mission} carries after a create or a change and
 * what the HTTP API returns. {@code version} grows by one with every change (optimistic locking,
 * and the ETag of the mission resource).
 */
public record Mission(String id, String name, String destination, Phase phase, int expectedReportSeconds,
                      long version, Instant createdAt, Instant updatedAt) {

  public JsonObject toJson() {
    return Payloads.versioned()
      .put("id", id)
      .put("name", name)
      .put("destination", destination)
      .put("phase", phase.name())
      .put("expectedReportSeconds", expectedReportSeconds)
      .put("version", version)
      .put("createdAt", Payloads.format(createdAt))
      .put("updatedAt", Payloads.format(updatedAt));
  }

  public static Mission fromJson(JsonObject json) {
    Payloads.checkVersion(json, "Mission");
    return new Mission(
      Payloads.string(json, "id"),
      Payloads.string(json, "name"),
      Payloads.optionalString(json, "destination"),
      Payloads.enumValue(json, "phase", Phase.class),
      (int) Payloads.longValue(json, "expectedReportSeconds"),
      Payloads.longValue(json, "version"),
      Payloads.instant(json, "createdAt"),
      Payloads.instant(json, "updatedAt"));
  }
}
