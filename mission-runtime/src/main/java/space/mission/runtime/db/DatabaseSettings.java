package space.mission.runtime.db;

import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;

import java.time.Duration;

/**
 * The {@code db} section: where the database is and how each role's pool talks to it. A password in
 * {@code db.password} wins over the URL's own, so a platform can inject it as a secret (an ECS secret,
 * a Kubernetes secret) while the URL, which is no secret, stays in plain configuration.
 */
public record DatabaseSettings(DatabaseUrl url, int poolSize, Duration connectTimeout, Duration probeInterval) {

  public static DatabaseSettings from(ConfigReader config) {
    String raw = config.optionalString("db.url")
      .orElseThrow(() -> new ConfigException("config db.url (" + EnvOverrides.envName("db.url")
        + "): expected mysql://user:password@host:3306/database, got nothing"));
    DatabaseUrl url;
    try {
      url = DatabaseUrl.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config db.url (" + EnvOverrides.envName("db.url")
        + "): expected mysql://user:password@host:3306/database, but " + e.getMessage());
    }
    url = config.optionalString("db.password").map(url::withPassword).orElse(url);
    return new DatabaseSettings(url,
      config.integer("db.poolSize", 1, 256),
      config.duration("db.connectTimeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
      config.duration("db.probeInterval", Duration.ofMillis(100), Duration.ofMinutes(5)));
  }
}
