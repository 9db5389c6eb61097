package space.mission.alert.store;

import io.vertx.core.json.JsonArray;
import space.mission.alert.engine.Notification;
import space.mission.common.bus.Severity;

import java.time.Instant;

/** A notification as the outbox keeps it until it is sent: the alerts it is about, as they were when it was decided. */
public record OutboxEntry(long id, String dedupId, Notification.Kind kind, String rule, Severity severity, JsonArray alerts,
                          Instant createdAt, int attempts) {
}
