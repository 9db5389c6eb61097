package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.common.config.ConfigLoader;
import space.mission.common.config.EnvOverrides;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README is part of the product: it must document every configuration variable there is. */
class ReadmeTest {

  @Test
  @DisplayName("The README's configuration table names every MC_* variable of every role")
  void documentsEveryVariable() throws Exception {
    Vertx vertx = Vertx.vertx();
    JsonObject defaults;
    try {
      defaults = ConfigLoader.load(vertx, Role.ids(), Map.of()).await();
    } finally {
      vertx.close().await();
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String variable : EnvOverrides.keys(defaults).keySet()) {
      assertThat(readme).as("README documents " + variable).contains("`" + variable + "`");
    }
    assertThat(readme).contains("`" + ConfigLoader.CONFIG_FILE_ENV + "`", "`MC_LOG_LEVEL`");
  }
}
