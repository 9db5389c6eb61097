package space.mission.status.db;

import io.vertx.core.json.JsonObject;
import space.mission.common.bus.Level;
import space.mission.common.bus.StatusUpdate;

import java.time.Instant;

/** A status update as a client sent it, before the server gives it an id and a recorded time. */
public record NewUpdate(String missionId, String subsystem, Level level, String message, JsonObject telemetry,
                        Instant reportedAt, String idempotencyKey) {

  StatusUpdate stored(long id, Instant recordedAt) {
    return new StatusUpdate(id, missionId, subsystem, level, message, telemetry, Rows.stored(reportedAt), recordedAt);
  }
}
