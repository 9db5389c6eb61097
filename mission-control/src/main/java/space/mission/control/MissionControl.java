package space.mission.control;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.runtime.MissionVertx;
import space.mission.runtime.cluster.ClusterSettings;
import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigLoader;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;
import space.mission.runtime.db.DatabaseCreator;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.db.EmbeddedMariaDb;
import space.mission.runtime.http.HttpEdgeSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The launch sequence: load and check the whole configuration before starting anything, start the
 * embedded database when one is needed, build Vert.x (clustered or not), deploy the roles. Stopping
 * runs it backwards: roles first, so they finish with the database still there, then the database.
 */
public final class MissionControl {

  static final String EMBEDDED_DATABASE = "mission_control";

  private static final Logger LOG = LoggerFactory.getLogger(MissionControl.class);

  private final Vertx vertx;
  private final EmbeddedMariaDb embedded;
  private final List<Role> roles;
  private final JsonObject config;
  private final AppLogFile appLog;

  private MissionControl(Vertx vertx, EmbeddedMariaDb embedded, List<Role> roles, JsonObject config, AppLogFile appLog) {
    this.vertx = vertx;
    this.embedded = embedded;
    this.roles = roles;
    this.config = config;
    this.appLog = appLog;
  }

  /** What the command line asked for; null fields leave the configuration as it is. */
  public record Options(List<String> roles, Boolean cluster) {
  }

  public static MissionControl start(Options options, Map<String, String> env) {
    long started = System.nanoTime();
    checkLogFormat(env);
    JsonObject config = loadConfig(env);
    ConfigReader reader = new ConfigReader(config);
    if (options.cluster() != null && options.cluster()) {
      config.getJsonObject("cluster").put("enabled", true);
    }
    ClusterSettings cluster = ClusterSettings.from(reader);
    List<Role> roles = selectRoles(options.roles() != null ? options.roles() : reader.strings("roles"));
    config.put("roles", new JsonArray(roles.stream().map(role -> role.id).toList()));

    Path dataDir = Path.of(reader.string("data.dir"));
    boolean needsDatabase = roles.stream().anyMatch(role -> role.needsDatabase);
    boolean embeddedDatabase = needsDatabase && reader.optionalString("db.url").isEmpty();
    if (embeddedDatabase && cluster.enabled()) {
      throw new ConfigException("config db.url (" + EnvOverrides.envName("db.url") + "): expected mysql://user:password@host:3306/database, "
        + "got nothing; cluster members share one database, the embedded one is for all-in-one runs");
    }
    if (roles.contains(Role.STATUS) && reader.strings("api.tokens").isEmpty()) {
      if (cluster.enabled()) {
        throw new ConfigException("config api.tokens (" + EnvOverrides.envName("api.tokens") + "): expected at least one token, "
          + "got none; every status instance of a cluster must accept the same tokens");
      }
      config.getJsonObject("api").put("tokens", new JsonArray().add(generatedToken(dataDir)));
    }
    if (embeddedDatabase) {
      // checked with a stand-in URL now; the real one is known once the database runs
      config.getJsonObject("db").put("url", "mysql://root@127.0.0.1:3306/" + EMBEDDED_DATABASE);
    }
    roles.forEach(role -> role.validate.accept(reader));
    if (needsDatabase && !embeddedDatabase) {
      // an external database the server lacks: created here when the user may, else one line saying what to run
      DatabaseCreator.ensureExists(DatabaseSettings.from(reader));
    }

    EmbeddedMariaDb embedded = null;
    Vertx vertx = null;
    AppLogFile appLog = AppLogFile.install(dataDir);
    try {
      if (embeddedDatabase) {
        embedded = EmbeddedMariaDb.prepare(dataDir.resolve("mariadb"), 0);
        embedded.start();
        config.getJsonObject("db").put("url", embedded.database(EMBEDDED_DATABASE).url());
      }
      vertx = MissionVertx.start(cluster).await();
      MissionControl running = new MissionControl(vertx, embedded, roles, config, appLog);
      running.deploy();
      if (!roles.contains(Role.STATUS)) {
        int port = reader.integer("management.port", 0, 65535);
        int bound = ManagementServer.start(vertx, reader.string("management.host"), port, HttpEdgeSettings.from(reader)).await().actualPort();
        LOG.info("Health and metrics on http://{}:{}/health/ready and /metrics", reader.string("management.host"), bound);
      }
      LOG.info("Mission Control ready in {} ms: roles {}{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        roles.stream().map(role -> role.id).toList(), cluster.enabled() ? " (cluster member at " + cluster.effectiveHost() + ")" : "");
      return running;
    } catch (RuntimeException e) {
      if (vertx != null) {
        closeQuietly(vertx);
      }
      if (embedded != null) {
        embedded.stop();
      }
      if (appLog != null) {
        appLog.close();
      }
      throw e;
    }
  }

  private void deploy() {
    List<Future<String>> deployments = new ArrayList<>();
    for (Role role : roles) {
      deployments.add(vertx.deployVerticle(role.deployable(), new DeploymentOptions().setConfig(config.copy())));
    }
    Future.all(deployments).await();
  }

  /** Undeploys every role, leaves the cluster, then stops the embedded database. */
  public void stop() {
    LOG.info("Stopping Mission Control");
    closeQuietly(vertx);
    if (embedded != null) {
      embedded.stop();
    }
    LOG.info("Mission Control stopped");
    if (appLog != null) {
      appLog.close();
    }
  }

  public JsonObject config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Vert.x did not close within 30 s; exiting anyway");
    } catch (RuntimeException e) {
      LOG.warn("Vert.x closed with an error: {}", e.getMessage());
    }
  }

  /** The whole configuration tree, every role's section included, with {@code env}'s overrides. */
  static JsonObject loadConfig(Map<String, String> env) {
    // vertx-config needs a Vert.x; the real one can only be built once the cluster settings are known
    Vertx bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, Role.ids(), env).await();
    } finally {
      bootstrap.close().await();
    }
  }

  /** Logback reads MC_LOG_FORMAT itself (logback.xml), before any of this runs: a typo would silence the log. */
  static void checkLogFormat(Map<String, String> env) {
    String format = env.getOrDefault("MC_LOG_FORMAT", "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw new ConfigException("MC_LOG_FORMAT: expected text or json, got \"" + format + "\"");
    }
  }

  static List<Role> selectRoles(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of(Role.values());
    }
    Set<Role> roles = new LinkedHashSet<>();
    for (String id : ids) {
      try {
        roles.add(Role.of(id));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("roles: " + e.getMessage());
      }
    }
    return List.copyOf(roles);
  }

  private static String generatedToken(Path dataDir) {
    try {
      String token = ApiToken.loadOrCreate(dataDir);
      LOG.info("No API token configured: writes need \"Authorization: Bearer {}\" (kept in {})", token, dataDir.resolve(ApiToken.FILE));
      return token;
    } catch (IOException e) {
      throw new ConfigException("config data.dir (" + EnvOverrides.envName("data.dir") + "): expected a writable directory, got "
        + dataDir + " (" + e.getMessage() + ")");
    }
  }
}
