package space.mission.common.bus;

/**
 * Where a mission is in its life. A mission moves forward through the phases in declaration order;
 * it can be declared {@link #LOST} from any phase that is not final; {@link #COMPLETE} and
 * {@link #LOST} are final.
 */
public enum Phase {
  PLANNED, LAUNCHED, CRUISE, ENCOUNTER, COMPLETE, LOST;

  public boolean isFinal() {
    return this == COMPLETE || this == LOST;
  }

  public boolean canMoveTo(Phase next) {
    if (next == this) {
      return true;
    }
    if (isFinal()) {
      return false;
    }
    return next == LOST || next.ordinal() > ordinal();
  }
}
