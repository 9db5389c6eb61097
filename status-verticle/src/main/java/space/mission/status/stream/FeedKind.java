package space.mission.status.stream;

import space.mission.common.bus.Addresses;

import java.util.Locale;

/** What the live feed relays, each kind from one bus address; the name is the SSE event name and the {@code kinds} filter value. */
public enum FeedKind {
  STATUS(Addresses.STATUS_UPDATE),
  READING(Addresses.MONITOR_READING),
  ALERT(Addresses.ALERT_EVENT),
  BACKUP(Addresses.BACKUP_EVENT);

  public final String address;

  FeedKind(String address) {
    this.address = address;
  }

  public String eventName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code name} (as in the {@code kinds} parameter), or null. */
  public static FeedKind named(String name) {
    for (FeedKind kind : values()) {
      if (kind.eventName().equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
