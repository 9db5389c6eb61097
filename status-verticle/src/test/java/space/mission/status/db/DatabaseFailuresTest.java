package space.mission.status.db;

import io.vertx.core.VertxException;
import io.vertx.mysqlclient.MySQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL client reports many connection-level failures only in words; each must read as "unavailable" (503), never as a bug (500). */
class DatabaseFailuresTest {

  @Test
  @DisplayName("Connection-level failures in the SQL client's words are outages; statement errors are not")
  void classifies() {
    assertThat(DatabaseFailures.isUnavailable(VertxException.noStackTrace("Connection is not active now, current status: CLOSED"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("Pool closed"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new RuntimeException("wrapped", VertxException.noStackTrace("Connection reset")))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(VertxException.noStackTrace("The operation timed out"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new UpdateWriter.BatchDeadlineException(1000))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new MySQLException("Duplicate entry", 1062, "23000"))).isFalse();
    assertThat(DatabaseFailures.isUnavailable(new MySQLException("Lock wait timeout exceeded", 1205, "HY000"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new IllegalArgumentException("mission id must not be empty"))).isFalse();
  }
}
