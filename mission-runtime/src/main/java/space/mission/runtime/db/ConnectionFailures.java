package space.mission.runtime.db;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which failures mean "the database is not there or cannot serve right now" (an API answers 503 with
 * Retry-After, a queue retries later), as opposed to a failure of the statement itself. The one
 * place this is decided: the status API's problem mapping, its group-commit writer and its health
 * tracking all ask here, and {@link StatementFailures} never calls such a failure permanent.
 *
 * <p>Connection-level failures: closed (the server died under a query), reset, refused, timed out,
 * and the pool closed. The reactive SQL client reports several of these only in words, as a plain
 * {@link VertxException} ("Connection is not active now, current status: CLOSED", "Pool closed"),
 * so its messages are matched too (a server error, which has a code, is judged by its code alone).
 */
public final class ConnectionFailures {

  /**
   * Server errors about the server's state, not the statement: too many connections (1040),
   * shutting down (1053, 1077), lock wait timeout (1205), deadlock (1213), read-only (1290, 1836),
   * and the client-side codes for can't connect / gone away / lost connection (2002, 2003, 2006, 2013).
   */
  private static final Set<Integer> SERVER_UNAVAILABLE = Set.of(1040, 1053, 1077, 1205, 1213, 1290, 1836, 2002, 2003, 2006, 2013);

  /** The SQL client's and Netty's words for a connection that is gone or never came (lower case). */
  private static final List<String> CONNECTION_SIGNS = List.of("timeout waiting for connection", "connection refused",
    "connection reset", "pool closed", "connection is not active", "connection was closed", "connection closed",
    "timed out", "broken pipe", "not connected", "connection was lost", "connection might get lost", "closed");

  private ConnectionFailures() {
  }

  /** Whether {@code failure}, or a cause of it, says the database is unreachable or unable to serve right now. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ClosedConnectionException || cause instanceof ConnectTimeoutException
        || cause instanceof TimeoutException || cause instanceof IOException) {
        return true;
      }
      if (cause instanceof DatabaseException database) {
        return SERVER_UNAVAILABLE.contains(database.getErrorCode());
      }
      if (cause.getMessage() != null && isConnectionMessage(cause.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionMessage(String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return CONNECTION_SIGNS.stream().anyMatch(lower::contains);
  }
}
