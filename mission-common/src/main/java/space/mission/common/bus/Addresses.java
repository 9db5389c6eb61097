package space.mission.common.bus;

/**
 * Every event-bus address the services use. Names are product decisions: add, never rename.
 * Each address carries JSON objects with a schema version field {@code v}; the record that maps a
 * payload is named next to its address.
 */
public final class Addresses {

  /** publish: {@link ResourceReading}, one per monitor sample. */
  public static final String MONITOR_READING = "mission.monitor.reading";

  /** publish: {@link StatusUpdate} as stored, after it is committed. */
  public static final String STATUS_UPDATE = "mission.status.update";

  /** publish: {@link Mission} as stored, after it is created or changed (keeps rollup caches of every status instance true). */
  public static final String STATUS_MISSION = "mission.status.mission";

  /**
   * request/reply: the newest status update of every subsystem of every mission: {@code {"v":1}}
   * answers {@link StatusUpdates}. An alert role that takes over catches up on what was published
   * while no alert role listened ({@link StatusClient#latest()}).
   */
  public static final String STATUS_LATEST = "mission.status.latest";

  /**
   * request/reply: every status update recorded after an id, oldest first, a page at a time:
   * {@link StatusSince} answers {@link StatusUpdates} (fewer than {@code limit} when there are no
   * more). An alert role that takes over replays from the last update its committed decisions
   * covered, so no state change in the takeover window is skipped ({@link StatusClient#since}).
   */
  public static final String STATUS_SINCE = "mission.status.since";

  /** The largest page {@link #STATUS_SINCE} answers. */
  public static final int STATUS_SINCE_MAX_LIMIT = 1000;

  /** publish: {@link AlertEvent}, FIRING or RESOLVED. */
  public static final String ALERT_EVENT = "mission.alert.event";

  /** request/reply: active alerts, silences, acknowledgements, history: an {@link AlertQuery} (see {@link AlertClient}). */
  public static final String ALERT_QUERY = "mission.alert.query";

  /** request/reply: trigger a backup ({@link BackupRequest}); the reply is a {@link BackupAccepted} (see {@link BackupClient}). */
  public static final String BACKUP_REQUEST = "mission.backup.request";

  /** request/reply: the backup catalog, one backup, the newest verified one: a {@link BackupQuery} (see {@link BackupClient}). */
  public static final String BACKUP_QUERY = "mission.backup.query";

  /** publish: {@link BackupEvent}, STARTED / SUCCEEDED / FAILED. */
  public static final String BACKUP_EVENT = "mission.backup.event";

  private Addresses() {
  }
}
