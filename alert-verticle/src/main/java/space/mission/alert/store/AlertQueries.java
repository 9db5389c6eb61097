package space.mission.alert.store;

/** Every SQL statement of the alert role. All take parameters; none is built from input. */
final class AlertQueries {

  static final String ALERT_COLUMNS = "fingerprint, rule, severity, labels, state, value, summary, starts_at, fired_at, resolved_at, "
    + "notified_at, firing_notified, repeats, acknowledged_by, acknowledged_at, acknowledge_comment";

  static final String UPSERT_ALERT =
    "INSERT INTO alerts (" + ALERT_COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON DUPLICATE KEY UPDATE rule = VALUES(rule), severity = VALUES(severity), labels = VALUES(labels), state = VALUES(state), "
      + "value = VALUES(value), summary = VALUES(summary), starts_at = VALUES(starts_at), fired_at = VALUES(fired_at), "
      + "resolved_at = VALUES(resolved_at), notified_at = VALUES(notified_at), firing_notified = VALUES(firing_notified), "
      + "repeats = VALUES(repeats), acknowledged_by = VALUES(acknowledged_by), acknowledged_at = VALUES(acknowledged_at), "
      + "acknowledge_comment = VALUES(acknowledge_comment), updated_at = VALUES(updated_at)";

  static final String ACTIVE_ALERTS = "SELECT " + ALERT_COLUMNS + " FROM alerts WHERE state IN ('PENDING', 'FIRING')";

  static final String INSERT_HISTORY =
    "INSERT INTO alert_history (fingerprint, rule, event, state, severity, labels, value, summary, actor, detail, at) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String HISTORY =
    "SELECT id, fingerprint, rule, event, state, severity, labels, value, summary, actor, detail, at FROM alert_history "
      + "WHERE id < ? AND (? IS NULL OR fingerprint = ?) ORDER BY id DESC LIMIT ?";

  static final String UPSERT_SILENCE =
    "INSERT INTO silences (id, matchers, starts_at, ends_at, author, comment, created_at, expired_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON DUPLICATE KEY UPDATE ends_at = VALUES(ends_at), expired_by = VALUES(expired_by)";

  static final String SILENCES_ENDING_AFTER =
    "SELECT id, matchers, starts_at, ends_at, author, comment, created_at, expired_by FROM silences WHERE ends_at > ?";

  /** INSERT IGNORE: the same decision made twice (a restart before the first was sent) is one message. */
  static final String INSERT_OUTBOX =
    "INSERT IGNORE INTO notification_outbox (dedup_id, kind, rule, severity, alerts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

  static final String OUTBOX_PENDING =
    "SELECT id, dedup_id, kind, rule, severity, alerts, created_at, attempts FROM notification_outbox "
      + "WHERE sent_at IS NULL ORDER BY id LIMIT ?";

  /** SKIP LOCKED: a row another sender is sending right now is its business, not a wait. */
  static final String OUTBOX_CLAIM = "SELECT id FROM notification_outbox WHERE id = ? AND sent_at IS NULL FOR UPDATE SKIP LOCKED";

  static final String OUTBOX_SENT = "UPDATE notification_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?";

  static final String OUTBOX_FAILED =
    "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?";

  static final String OUTBOX_DROPPED =
    "UPDATE notification_outbox SET sent_at = ?, last_error = ? WHERE id = ?";

  static final String UPSERT_HEARTBEAT =
    "INSERT INTO monitor_heartbeats (host, instance, interval_seconds, last_seen) VALUES (?, ?, ?, ?) "
      + "ON DUPLICATE KEY UPDATE interval_seconds = VALUES(interval_seconds), last_seen = GREATEST(last_seen, VALUES(last_seen))";

  static final String HEARTBEATS = "SELECT host, instance, interval_seconds, last_seen FROM monitor_heartbeats";

  static final String DELETE_HEARTBEAT = "DELETE FROM monitor_heartbeats WHERE host = ? AND instance = ?";

  static final String BACKUP_WATCH = "SELECT newest_verified_at, watching_since FROM backup_watch WHERE id = 1";

  static final String UPSERT_BACKUP_WATCH = "INSERT INTO backup_watch (id, newest_verified_at, watching_since) VALUES (1, ?, ?) "
    + "ON DUPLICATE KEY UPDATE newest_verified_at = GREATEST(COALESCE(newest_verified_at, VALUES(newest_verified_at)), "
    + "COALESCE(VALUES(newest_verified_at), newest_verified_at))";

  static final String STATUS_WATERMARK = "SELECT last_update_id FROM status_watermark WHERE id = 1";

  /** Only ever forward: decisions commit in order, but a watermark-only write may race a decision's. */
  static final String ADVANCE_STATUS_WATERMARK = "INSERT INTO status_watermark (id, last_update_id) VALUES (1, ?) "
    + "ON DUPLICATE KEY UPDATE last_update_id = GREATEST(last_update_id, VALUES(last_update_id))";

  static final String CHECKPOINT = "SELECT position FROM log_tail_checkpoints WHERE source = ?";

  static final String UPSERT_CHECKPOINT =
    "INSERT INTO log_tail_checkpoints (source, position, updated_at) VALUES (?, ?, ?) "
      + "ON DUPLICATE KEY UPDATE position = VALUES(position), updated_at = VALUES(updated_at)";

  private AlertQueries() {
  }
}
