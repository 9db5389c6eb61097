package space.mission.status.db;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import space.mission.common.bus.Level;
import space.mission.common.bus.Mission;
import space.mission.common.bus.Phase;
import space.mission.common.bus.StatusUpdate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Row to record and back. DATETIME(6) columns hold UTC; the database stores microseconds, so instants are cut to them. */
final class Rows {

  private Rows() {
  }

  static Mission mission(Row row) {
    return new Mission(
      row.getString("id"),
      row.getString("name"),
      row.getString("destination"),
      Phase.valueOf(row.getString("phase")),
      row.getInteger("expected_report_seconds"),
      row.getLong("version"),
      instant(row.getLocalDateTime("created_at")),
      instant(row.getLocalDateTime("updated_at")));
  }

  static StatusUpdate update(Row row) {
    return new StatusUpdate(
      row.getLong("id"),
      row.getString("mission_id"),
      row.getString("subsystem"),
      Level.valueOf(row.getString("level")),
      row.getString("message"),
      json(row.getValue("telemetry")),
      instant(row.getLocalDateTime("reported_at")),
      instant(row.getLocalDateTime("recorded_at")));
  }

  /** MariaDB returns a JSON column as text, MySQL 8 as a JSON value: accept both. */
  static JsonObject json(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject) {
      return (JsonObject) value;
    }
    if (value instanceof Buffer) {
      return new JsonObject((Buffer) value);
    }
    return new JsonObject(value.toString());
  }

  static Instant instant(LocalDateTime value) {
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  static LocalDateTime column(Instant value) {
    return value == null ? null : LocalDateTime.ofInstant(value, ZoneOffset.UTC);
  }

  /** The precision the database keeps: what a reader will see, so what a writer should answer with. */
  static Instant stored(Instant value) {
    return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
  }
}
