package space.mission.status.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import space.mission.runtime.db.ConnectionFailures;

/** Which statement failures mean "your request conflicts"; whether the database is there at all is {@link ConnectionFailures}'s to say. */
public final class DatabaseFailures {

  static final int DUPLICATE_KEY = 1062;
  static final int FOREIGN_KEY_MISSING = 1452;

  private DatabaseFailures() {
  }

  static boolean hasCode(Throwable failure, int code) {
    return failure instanceof DatabaseException && ((DatabaseException) failure).getErrorCode() == code;
  }

  static <T> Future<T> duplicateKeyAsConflict(Throwable failure) {
    if (hasCode(failure, DUPLICATE_KEY)) {
      return Future.failedFuture(new DuplicateKeyException(failure.getMessage()));
    }
    return Future.failedFuture(failure);
  }
}
