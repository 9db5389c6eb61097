package space.mission.backup.store;

/** The object asked for is not in the store. */
public final class NoSuchObjectException extends RuntimeException {

  public NoSuchObjectException(String location) {
    super("no object at " + location, null, false, false);
  }
}
