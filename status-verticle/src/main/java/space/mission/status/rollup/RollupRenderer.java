package space.mission.status.rollup;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * Turns a {@link MissionRollup} into what clients see at a given moment: per subsystem its age,
 * whether it is stale and its effective level; overall the worst effective level; and a weak ETag
 * that changes exactly when any of that changes (an update, a mission change, a subsystem turning
 * stale) but not as ages tick. The body is cached per second, so polling costs no JSON encoding.
 */
public final class RollupRenderer {

  /** The overall level of a mission no subsystem has reported for. */
  public static final String UNKNOWN = "UNKNOWN";

  private final double staleTolerance;
  private final Level staleLevel;

  public RollupRenderer(double staleTolerance, Level staleLevel) {
    this.staleTolerance = staleTolerance;
    this.staleLevel = staleLevel;
  }

  /** The rollup's state at {@code now}: its ETag and when it next changes by itself (a subsystem turning stale). */
  public record View(String etag, Instant nextStaleAt, BitSet stale) {
  }

  record Rendered(String etag, long epochSecond, Buffer body) {
  }

  /** How long a subsystem may stay silent before it is stale. */
  public Duration staleAfter(MissionRollup rollup) {
    return Duration.ofMillis(Math.round(rollup.mission().expectedReportSeconds() * staleTolerance * 1000));
  }

  public View view(MissionRollup rollup, Instant now) {
    BitSet stale = new BitSet();
    Instant nextStaleAt = null;
    if (!rollup.mission().phase().isFinal()) {
      Duration staleAfter = staleAfter(rollup);
      int index = 0;
      for (StatusUpdate update : rollup.latest().values()) {
        Instant staleAt = update.recordedAt().plus(staleAfter);
        if (now.isAfter(staleAt)) {
          stale.set(index);
        } else if (nextStaleAt == null || staleAt.isBefore(nextStaleAt)) {
          nextStaleAt = staleAt;
        }
        index++;
      }
    }
    String etag = "W/\"" + rollup.maxUpdateId() + "." + rollup.mission().version() + "." + hex(stale) + "\"";
    return new View(etag, nextStaleAt, stale);
  }

  /** The JSON body for {@code view} at {@code now}, encoded once per second at most. */
  public Buffer body(MissionRollup rollup, View view, Instant now) {
    long second = now.getEpochSecond();
    Rendered cached = rollup.rendered;
    if (cached != null && cached.epochSecond() == second && cached.etag().equals(view.etag())) {
      return cached.body();
    }
    Buffer body = json(rollup, view, now.truncatedTo(ChronoUnit.SECONDS)).toBuffer();
    rollup.rendered = new Rendered(view.etag(), second, body);
    return body;
  }

  JsonObject json(MissionRollup rollup, View view, Instant asOf) {
    JsonArray subsystems = new JsonArray();
    Level overall = null;
    Instant lastUpdateAt = null;
    int index = 0;
    for (StatusUpdate update : rollup.latest().values()) {
      boolean stale = view.stale().get(index++);
      Level effective = stale ? Level.worst(update.level(), staleLevel) : update.level();
      overall = Level.worst(overall, effective);
      if (lastUpdateAt == null || update.recordedAt().isAfter(lastUpdateAt)) {
        lastUpdateAt = update.recordedAt();
      }
      subsystems.add(new JsonObject()
        .put("subsystem", update.subsystem())
        .put("level", update.level().name())
        .put("effectiveLevel", effective.name())
        .put("stale", stale)
        .put("ageSeconds", Math.max(0, Duration.between(update.recordedAt(), asOf).getSeconds()))
        .put("latest", withoutVersion(update.toJson())));
    }
    return new JsonObject()
      .put("missionId", rollup.mission().id())
      .put("phase", rollup.mission().phase().name())
      .put("level", overall == null ? UNKNOWN : overall.name())
      .put("stale", !view.stale().isEmpty())
      .put("lastUpdateId", rollup.maxUpdateId() == 0 ? null : rollup.maxUpdateId())
      .put("lastUpdateAt", lastUpdateAt == null ? null : lastUpdateAt.toString())
      .put("expectedReportSeconds", rollup.mission().expectedReportSeconds())
      .put("staleAfterSeconds", staleAfter(rollup).toMillis() / 1000.0)
      .put("asOf", asOf.toString())
      .put("subsystems", subsystems);
  }

  /** The HTTP API shows records without the bus's schema version field. */
  public static JsonObject withoutVersion(JsonObject payload) {
    payload.remove("v");
    return payload;
  }

  private static String hex(BitSet bits) {
    StringBuilder text = new StringBuilder();
    for (long word : bits.toLongArray()) {
      text.append(Long.toHexString(word)).append('-');
    }
    return text.length() == 0 ? "0" : text.substring(0, text.length() - 1);
  }
}
