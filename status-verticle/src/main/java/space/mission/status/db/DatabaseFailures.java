package space.mission.status.db;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Which database failures mean "the database is not there" (503, retry later) and which mean "your request conflicts". */
public final class DatabaseFailures {

  static final int DUPLICATE_KEY = 1062;
  static final int FOREIGN_KEY_MISSING = 1452;

  /** Server-side errors that are about the server's state, not the statement: too many connections, shutting down, lock timeouts, deadlocks, read-only. */
  private static final Set<Integer> SERVER_UNAVAILABLE = Set.of(1040, 1053, 1077, 1205, 1213, 1290, 1836, 2002, 2003, 2006, 2013);

  private DatabaseFailures() {
  }

  /** Whether {@code failure} says the database is unreachable or unable to serve right now. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof ClosedConnectionException
        || cause instanceof ConnectTimeoutException || cause instanceof TimeoutException || cause instanceof IOException) {
        return true;
      }
      if (cause instanceof DatabaseException) {
        return SERVER_UNAVAILABLE.contains(((DatabaseException) cause).getErrorCode());
      }
      // the SQL client reports many connection-level failures only in words, and not always as a VertxException
      if (!(cause instanceof DatabaseException) && cause.getMessage() != null && isConnectionMessage(cause.getMessage())) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static boolean isConnectionMessage(String message) {
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    for (String sign : CONNECTION_SIGNS) {
      if (lower.contains(sign)) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> CONNECTION_SIGNS = List.of("timeout waiting for connection", "connection refused",
    "connection reset", "closed", "pool closed", "connection is not active", "timed out", "broken pipe",
    "not connected", "connection was lost");

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
