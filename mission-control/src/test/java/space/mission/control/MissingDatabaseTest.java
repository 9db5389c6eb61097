package space.mission.control;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.config.ConfigException;
import space.mission.runtime.db.DatabaseUrl;
import space.mission.testkit.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An external MC_DB_URL naming a database the server does not have (the real MariaDB): created at
 * start when the user may, else refused in one line that says what an administrator runs.
 */
class MissingDatabaseTest {

  @Test
  @DisplayName("MC_DB_URL naming a new database: the launcher creates it and starts on it")
  void created(@TempDir Path data) throws Exception {
    DatabaseUrl missing = TestDatabase.server().withDatabase("mc_created_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    try {
      assertThat(schemaExists(missing.database())).isFalse();
      MissionControl running = MissionControl.start(new MissionControl.Options(List.of("status"), null),
        Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", missing.url(), "MC_HTTP_PORT", String.valueOf(MissionControlTest.freePort())));
      try {
        assertThat(schemaExists(missing.database())).isTrue();
        assertThat(TestDatabase.queryLong(missing, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
          .as("the status role migrated its tables into it").isPositive();
      } finally {
        running.stop();
      }
    } finally {
      // over the admin database: the one named may never have been created
      TestDatabase.execute(TestDatabase.server(), "DROP DATABASE IF EXISTS `" + missing.database() + "`");
    }
  }

  @Test
  @DisplayName("MC_DB_URL naming a new database, for a user without CREATE: one line with the CREATE DATABASE and GRANT to run")
  void refusedWithoutPrivilege(@TempDir Path data) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String user = "mc_nocreate_" + suffix;
    DatabaseUrl admin = TestDatabase.server();
    TestDatabase.execute(admin, "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'no-create'");
    try {
      DatabaseUrl missing = new DatabaseUrl("127.0.0.1", admin.port(), "mc_absent_" + suffix, user, "no-create");
      assertThatThrownBy(() -> MissionControl.start(new MissionControl.Options(List.of("status"), null),
        Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", missing.url(), "MC_HTTP_PORT", String.valueOf(MissionControlTest.freePort()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MC_DB_URL")
        .hasMessageContaining("the database " + missing.database() + " does not exist")
        .hasMessageContaining("CREATE DATABASE `" + missing.database() + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;")
        .hasMessageContaining("GRANT ALL PRIVILEGES ON `" + missing.database() + "`.* TO '" + user + "'@'127.0.0.1';")
        .hasMessageNotContaining("\n");
      assertThat(schemaExists(missing.database())).isFalse();
    } finally {
      TestDatabase.execute(admin, "DROP USER IF EXISTS '" + user + "'@'127.0.0.1'");
    }
  }

  private static boolean schemaExists(String name) {
    return TestDatabase.queryLong(TestDatabase.server(), "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'") > 0;
  }
}
