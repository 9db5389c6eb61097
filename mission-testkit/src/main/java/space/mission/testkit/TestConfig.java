package space.mission.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import space.mission.common.config.ConfigLoader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration tree a role gets in production, loaded by the real loader from the real
 * defaults, with test overrides given as the environment variables an operator would set.
 */
public final class TestConfig {

  private TestConfig() {
  }

  public static JsonObject load(Vertx vertx, List<String> sections, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("MC_HTTP_PORT", "0");
    all.putIfAbsent("MC_HTTP_HOST", "127.0.0.1");
    return ConfigLoader.load(vertx, sections, all).await();
  }
}
