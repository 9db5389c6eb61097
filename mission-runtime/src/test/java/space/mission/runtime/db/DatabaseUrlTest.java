package space.mission.runtime.db;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {

  @Test
  @DisplayName("A mysql:// URL gives host, port, database and decoded credentials")
  void parses() {
    DatabaseUrl url = DatabaseUrl.parse("mysql://mc:p%40ss%3Aword@db.internal:3307/mission");
    assertThat(url).isEqualTo(new DatabaseUrl("db.internal", 3307, "mission", "mc", "p@ss:word"));
    assertThat(url.jdbcUrl()).startsWith("jdbc:mariadb://db.internal:3307/mission");
    assertThat(url.redacted()).isEqualTo("mysql://mc:***@db.internal:3307/mission").doesNotContain("p@ss");
    assertThat(DatabaseUrl.parse(url.url())).isEqualTo(url);
  }

  @Test
  @DisplayName("Port defaults to 3306 and a URL without credentials logs in as root with no password")
  void defaults() {
    assertThat(DatabaseUrl.parse("mysql://127.0.0.1/test")).isEqualTo(new DatabaseUrl("127.0.0.1", 3306, "test", "root", ""));
  }

  @Test
  @DisplayName("Wrong schemes, missing hosts and missing databases are refused with a reason")
  void refuses() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://h/db")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql:///db")).hasMessageContaining("host");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h:3306/")).hasMessageContaining("database");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h:3306/a;drop")).hasMessageContaining("database");
  }
}
