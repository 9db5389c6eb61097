package space.mission.backup.restore;

/** A restore that cannot go on, with a message for the operator (what, which object or table, and what to do). */
public final class RestoreException extends RuntimeException {

  public RestoreException(String message) {
    super(message, null, false, false);
  }
}
