package space.mission.runtime.db;

import io.vertx.core.json.EncodeException;
import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.sqlclient.DatabaseException;

import java.util.Set;

/**
 * Which failures of a write no retry can cure: the server refused the statement's data (a value too
 * long or out of range, a bad date, a broken constraint, an unstorable string or JSON document), or
 * the values could not even be encoded. A queue that retries such a write forever blocks everything
 * behind it; callers record it and move on instead. Everything else (the server gone, a deadlock, a
 * lock wait, a timeout, missing privileges an operator can grant) is worth retrying.
 */
public final class StatementFailures {

  /**
   * MariaDB errors about the data that it reports outside SQLSTATE classes 22 and 23: incorrect
   * string value (1366), JSON text or depth invalid (4037, 4038, 4040), truncated wrong value
   * (1292), out-of-range value (1264), data too long (1406).
   */
  private static final Set<Integer> DATA_ERRORS = Set.of(1264, 1292, 1366, 1406, 4037, 4038, 4040);

  private StatementFailures() {
  }

  /** The server's own words: a batch reports "Error occurs during batch execution" and keeps the statement's error inside. */
  public static String message(Throwable failure) {
    if (failure instanceof MySQLBatchException batch && !batch.getIterationError().isEmpty()) {
      return batch.getIterationError().values().iterator().next().getMessage();
    }
    return failure.getMessage();
  }

  public static boolean isPermanent(Throwable failure) {
    if (ConnectionFailures.isUnavailable(failure)) {
      return false;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof MySQLBatchException batch) {
        return batch.getIterationError().values().stream().anyMatch(StatementFailures::isPermanent);
      }
      if (cause instanceof DatabaseException database) {
        String state = database.getSqlState();
        return DATA_ERRORS.contains(database.getErrorCode())
          || state != null && (state.startsWith("22") || state.startsWith("23"));
      }
      if (cause instanceof EncodeException || cause instanceof IllegalArgumentException || cause instanceof ClassCastException
        || cause instanceof NullPointerException) {
        return true;
      }
    }
    return false;
  }
}
