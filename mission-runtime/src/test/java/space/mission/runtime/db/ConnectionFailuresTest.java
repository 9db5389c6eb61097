package space.mission.runtime.db;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL client reports many connection-level failures only in words; each must read as "unavailable" (503), never as a bug (500). */
class ConnectionFailuresTest {

  @Test
  @DisplayName("Connection-level failures in the SQL client's words are outages; statement errors are not")
  void classifies() {
    assertThat(ConnectionFailures.isUnavailable(VertxException.noStackTrace("Connection is not active now, current status: CLOSED"))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(new IllegalStateException("Pool closed"))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(new RuntimeException("wrapped", VertxException.noStackTrace("Connection reset")))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(VertxException.noStackTrace("The operation timed out"))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(new TimeoutException("the write was not committed within 1000 ms"))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(new MySQLException("Duplicate entry", 1062, "23000"))).isFalse();
    assertThat(ConnectionFailures.isUnavailable(new MySQLException("Lock wait timeout exceeded", 1205, "HY000"))).isTrue();
    assertThat(ConnectionFailures.isUnavailable(new IllegalArgumentException("mission id must not be empty"))).isFalse();
  }

  @Test
  @DisplayName("Each connection-level kind (closed, reset, refused, timed out, pool closed) is an outage, and no outage is a permanent statement failure")
  void everyKind() {
    Throwable closed = ClosedConnectionException.INSTANCE;
    Throwable reset = new VertxException(new java.net.SocketException("Connection reset"));
    Throwable refused = new ConnectException("Connection refused: /127.0.0.1:1");
    Throwable timedOut = new ConnectTimeoutException("connection timed out after 1000 ms: /10.255.255.1:3306");
    Throwable waitTimedOut = VertxException.noStackTrace("Timeout waiting for connection");
    Throwable poolClosed = VertxException.noStackTrace("Pool closed");
    for (Throwable failure : new Throwable[] {closed, reset, refused, timedOut, waitTimedOut, poolClosed}) {
      assertThat(ConnectionFailures.isUnavailable(failure)).as("%s", failure).isTrue();
      assertThat(ConnectionFailures.isUnavailable(new RuntimeException("wrapped", failure))).as("wrapped %s", failure).isTrue();
      assertThat(StatementFailures.isPermanent(failure)).as("permanent %s", failure).isFalse();
    }
    assertThat(StatementFailures.isPermanent(new MySQLException("Data too long for column", 1406, "22001"))).isTrue();
  }
}
