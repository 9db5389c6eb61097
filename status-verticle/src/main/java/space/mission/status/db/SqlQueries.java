package space.mission.status.db;

/** Every SQL statement of the status role, in one place. All of them take parameters; none is built from input. */
final class SqlQueries {

  static final String MISSION_COLUMNS =
    "seq, id, name, destination, phase, expected_report_seconds, version, created_at, updated_at";

  static final String INSERT_MISSION =
    "INSERT INTO missions (id, name, destination, phase, expected_report_seconds, version, created_at, updated_at) "
      + "VALUES (?, ?, ?, ?, ?, 1, ?, ?)";

  static final String SELECT_MISSION =
    "SELECT " + MISSION_COLUMNS + " FROM missions WHERE id = ?";

  static final String SELECT_MISSION_IDS_LIKE =
    "SELECT id FROM missions WHERE id = ? OR id LIKE ?";

  static final String LIST_MISSIONS =
    "SELECT " + MISSION_COLUMNS + " FROM missions WHERE seq > ? ORDER BY seq LIMIT ?";

  static final String UPDATE_MISSION =
    "UPDATE missions SET name = ?, destination = ?, phase = ?, expected_report_seconds = ?, version = version + 1, updated_at = ? "
      + "WHERE id = ? AND version = ?";

  static final String UPDATE_COLUMNS =
    "id, mission_id, subsystem, level, message, telemetry, reported_at, recorded_at";

  static final String INSERT_UPDATE =
    "INSERT INTO status_updates (mission_id, subsystem, level, message, telemetry, reported_at, recorded_at, idempotency_key) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  static final String SELECT_UPDATE =
    "SELECT " + UPDATE_COLUMNS + " FROM status_updates WHERE mission_id = ? AND id = ?";

  static final String SELECT_UPDATE_BY_IDEMPOTENCY_KEY =
    "SELECT " + UPDATE_COLUMNS + " FROM status_updates WHERE mission_id = ? AND idempotency_key = ?";

  /** History, newest first; the optional filters are "? IS NULL OR column = ?" so one statement serves every combination. */
  static final String LIST_UPDATES_NEWEST_FIRST =
    "SELECT " + UPDATE_COLUMNS + " FROM status_updates "
      + "WHERE mission_id = ? AND id < ? AND (? IS NULL OR subsystem = ?) AND (? IS NULL OR level = ?) "
      + "ORDER BY id DESC LIMIT ?";

  /** Catch-up, oldest first, strictly after an update id. */
  static final String LIST_UPDATES_AFTER =
    "SELECT " + UPDATE_COLUMNS + " FROM status_updates "
      + "WHERE mission_id = ? AND id > ? AND (? IS NULL OR subsystem = ?) AND (? IS NULL OR level = ?) "
      + "ORDER BY id ASC LIMIT ?";

  /** Catch-up across every mission, oldest first, strictly after an update id (a primary-key range). */
  static final String LIST_ALL_UPDATES_AFTER =
    "SELECT " + UPDATE_COLUMNS + " FROM status_updates WHERE id > ? ORDER BY id ASC LIMIT ?";

  /** The latest update of each subsystem: a loose index scan of (mission_id, subsystem, id), then primary-key lookups. */
  static final String LATEST_PER_SUBSYSTEM =
    "SELECT u.id, u.mission_id, u.subsystem, u.level, u.message, u.telemetry, u.reported_at, u.recorded_at "
      + "FROM status_updates u JOIN ("
      + "  SELECT MAX(id) AS id FROM status_updates WHERE mission_id = ? GROUP BY subsystem"
      + ") latest ON u.id = latest.id ORDER BY u.subsystem";

  /** The newest update of every subsystem of every mission (one row per mission and subsystem). */
  static final String LATEST_EVERYWHERE =
    "SELECT u.id, u.mission_id, u.subsystem, u.level, u.message, u.telemetry, u.reported_at, u.recorded_at "
      + "FROM status_updates u JOIN ("
      + "  SELECT MAX(id) AS id FROM status_updates GROUP BY mission_id, subsystem"
      + ") latest ON u.id = latest.id ORDER BY u.id";

  /** Every update after an id, oldest first, a page at a time (the primary key orders them). */
  static final String UPDATES_AFTER =
    "SELECT u.id, u.mission_id, u.subsystem, u.level, u.message, u.telemetry, u.reported_at, u.recorded_at "
      + "FROM status_updates u WHERE u.id > ? ORDER BY u.id LIMIT ?";

  /** Newest update id and mission version of every mission: what the rollup cache checks itself against. */
  static final String MISSION_WATERMARKS =
    "SELECT m.id, m.version, (SELECT MAX(u.id) FROM status_updates u WHERE u.mission_id = m.id) AS max_update_id FROM missions m";

  static final String PING = "SELECT 1";

  private SqlQueries() {
  }
}
