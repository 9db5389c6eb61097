package space.mission.common.config;

/**
 * A configuration value that is missing or wrong. The message is one line that names the key, the
 * environment variable that sets it, what was expected and what was found: the launcher prints it
 * as it is and exits.
 */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  public static ConfigException forKey(String path, String expected, Object actual) {
    return new ConfigException("config " + path + " (" + EnvOverrides.envName(path) + "): expected "
      + expected + ", got " + describe(actual));
  }

  private static String describe(Object actual) {
    return actual == null ? "nothing" : actual instanceof String ? "\"" + actual + "\"" : String.valueOf(actual);
  }
}
