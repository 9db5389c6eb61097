package space.mission.alert.engine;

/** Where an alert is in its life: waiting out its "for" duration, firing, or resolved. */
public enum AlertState {
  PENDING, FIRING, RESOLVED
}
