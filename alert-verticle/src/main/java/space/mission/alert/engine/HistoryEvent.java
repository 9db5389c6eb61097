package space.mission.alert.engine;

/**
 * What happened to an alert, as its history records it. The text each kind stands for is stored
 * in {@code alert_history.event}, answered by the history query and so read by operators' tools:
 * it is spelled out here rather than taken from the constant's name, so renaming a constant can
 * never change a stored or answered value.
 */
public enum HistoryEvent {
  /** The condition holds; the rule's "for" duration has not passed yet. */
  PENDING("PENDING", false),
  /** The alert fires: published on {@code mission.alert.event}. */
  FIRING("FIRING", true),
  /** A pending alert whose condition went away before it fired. */
  CLEARED("CLEARED", false),
  /** A firing alert's condition went away: published on {@code mission.alert.event}. */
  RESOLVED("RESOLVED", true),
  ACKNOWLEDGED("ACKNOWLEDGED", false),
  ESCALATED("ESCALATED", false),
  DEESCALATED("DEESCALATED", false);

  private final String stored;
  private final boolean published;

  HistoryEvent(String stored, boolean published) {
    this.stored = stored;
    this.published = published;
  }

  /** The text kept in the history table and answered by the history query. */
  public String stored() {
    return stored;
  }

  /** Whether subscribers of {@code mission.alert.event} hear of it (the bus carries FIRING and RESOLVED only). */
  public boolean published() {
    return published;
  }

  @Override
  public String toString() {
    return stored;
  }
}
