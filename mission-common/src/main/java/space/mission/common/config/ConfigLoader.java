package space.mission.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Loads the one configuration tree: the shared defaults ({@code conf/defaults.yaml} in
 * mission-common), each role's defaults ({@code conf/<role>.yaml} in that role's module, where it is
 * on the classpath), an optional operator file named by {@code MC_CONFIG_FILE}, and last the
 * {@code MC_*} environment variables (see {@link EnvOverrides}).
 */
public final class ConfigLoader {

  public static final String SHARED_DEFAULTS = "conf/defaults.yaml";
  public static final String CONFIG_FILE_ENV = "MC_CONFIG_FILE";

  private ConfigLoader() {
  }

  /**
   * @param sections the role sections whose defaults to load ({@code status}, {@code monitor}, ...);
   *                 a section whose file is not on the classpath is skipped
   */
  public static Future<JsonObject> load(Vertx vertx, List<String> sections, Map<String, String> env) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml(SHARED_DEFAULTS, false));
    for (String section : sections) {
      options.addStore(yaml("conf/" + section + ".yaml", true));
    }
    String operatorFile = env.get(CONFIG_FILE_ENV);
    if (operatorFile != null && !operatorFile.isBlank()) {
      options.addStore(yaml(operatorFile, false));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
      .recover(failure -> Future.failedFuture(new ConfigException("configuration could not be read: " + oneLine(failure))))
      .map(tree -> EnvOverrides.apply(tree, env))
      .eventually(() -> {
        retriever.close();
        return Future.succeededFuture();
      });
  }

  private static ConfigStoreOptions yaml(String path, boolean optional) {
    return new ConfigStoreOptions()
      .setType("file")
      .setFormat(path.endsWith(".json") ? "json" : "yaml")
      .setOptional(optional)
      .setConfig(new JsonObject().put("path", path));
  }

  private static String oneLine(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString().replaceAll("\\s+", " ").trim();
  }
}
