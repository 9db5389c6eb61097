package space.mission.runtime.db;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.common.config.ConfigLoader;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseSettingsTest {

  private static DatabaseSettings settings(Map<String, String> env) {
    JsonObject db = new JsonObject().put("url", null).put("password", null).put("poolSize", 8)
      .put("connectTimeout", "3s").put("probeInterval", "2s");
    return DatabaseSettings.from(new ConfigReader(EnvOverrides.apply(new JsonObject().put("db", db), env)));
  }

  @Test
  @DisplayName("MC_DB_PASSWORD wins over the password in MC_DB_URL, as given (no URL encoding), and stays out of the redacted URL")
  void passwordApart() {
    DatabaseUrl url = settings(Map.of("MC_DB_URL", "mysql://mission:old@db.internal:3306/mission",
      "MC_DB_PASSWORD", "n3w/p@ss:w%rd")).url();
    assertThat(url).isEqualTo(new DatabaseUrl("db.internal", 3306, "mission", "mission", "n3w/p@ss:w%rd"));
    assertThat(url.connectOptions().getPassword()).isEqualTo("n3w/p@ss:w%rd");
    assertThat(url.jdbcProperties().getProperty("password")).isEqualTo("n3w/p@ss:w%rd");
    assertThat(url.redacted()).isEqualTo("mysql://mission:***@db.internal:3306/mission");
    // a URL with no password at all, as the AWS service stack gives it
    assertThat(settings(Map.of("MC_DB_URL", "mysql://mission@db.internal/mission", "MC_DB_PASSWORD", "s3cret")).url().password())
      .isEqualTo("s3cret");
  }

  @Test
  @DisplayName("Without MC_DB_PASSWORD (or with it empty) the URL's own password is used")
  void urlPasswordByDefault() {
    assertThat(settings(Map.of("MC_DB_URL", "mysql://mission:own@db/mission")).url().password()).isEqualTo("own");
    assertThat(settings(Map.of("MC_DB_URL", "mysql://mission:own@db/mission", "MC_DB_PASSWORD", "")).url().password()).isEqualTo("own");
  }

  @Test
  @DisplayName("MC_DB_PASSWORD is a shipped key: set apart from MC_DB_URL, it is the password the pools use")
  void databasePasswordApart() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = ConfigLoader.load(vertx, List.of(),
        Map.of("MC_DB_URL", "mysql://mission@db.internal:3306/mission", "MC_DB_PASSWORD", "from-a-secret")).await();
      assertThat(EnvOverrides.unknown(config, List.of("MC_DB_PASSWORD"))).isEmpty();
      DatabaseSettings database = DatabaseSettings.from(new ConfigReader(config));
      assertThat(database.url().user()).isEqualTo("mission");
      assertThat(database.url().password()).isEqualTo("from-a-secret");
    } finally {
      vertx.close().await();
    }
  }
}
