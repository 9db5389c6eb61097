package space.mission.status.db;

/** An insert hit a unique key: the id (or idempotency key) is already taken. */
public final class DuplicateKeyException extends RuntimeException {

  public DuplicateKeyException(String message) {
    super(message, null, false, false);
  }
}
