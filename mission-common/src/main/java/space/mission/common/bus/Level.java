package space.mission.common.bus;

/** How serious a subsystem's status is, least to most severe. The declaration order is the severity order. */
public enum Level {
  NOMINAL, WATCH, WARNING, CRITICAL;

  public boolean isWorseThan(Level other) {
    return other == null || compareTo(other) > 0;
  }

  public static Level worst(Level a, Level b) {
    if (a == null) {
      return b;
    }
    return b != null && b.isWorseThan(a) ? b : a;
  }
}
