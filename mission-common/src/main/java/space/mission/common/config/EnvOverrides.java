package space.mission.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Applies {@code MC_*} environment variables to the configuration tree. Every scalar leaf of the
 * defaults (and every list of scalars) can be set by {@code MC_} + its path in UPPER_SNAKE_CASE:
 * {@code http.port} by {@code MC_HTTP_PORT}, {@code status.rollup.staleTolerance} by
 * {@code MC_STATUS_ROLLUP_STALE_TOLERANCE}. The defaults are therefore the one list of keys; the
 * value's type in the defaults decides how the variable is parsed. Lists are comma-separated. An
 * empty variable counts as unset.
 */
public final class EnvOverrides {

  public static final String PREFIX = "MC_";

  /** Variables that start with MC_ but are not configuration keys. */
  private static final Set<String> NOT_KEYS = Set.of("MC_CONFIG_FILE", "MC_LOG_LEVEL", "MC_LOG_FORMAT", "MC_TEST_DB_URL",
    "MC_REQUIRE_ALL_INFRA");

  private static final Logger LOG = LoggerFactory.getLogger(EnvOverrides.class);
  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  private EnvOverrides() {
  }

  /** The environment variable that sets {@code path}. */
  public static String envName(String path) {
    return PREFIX + CAMEL_HUMP.matcher(path).replaceAll("$1_$2").replace('.', '_').replace('-', '_').toUpperCase();
  }

  /** Every configuration path that an environment variable can set, with the variable's name. */
  public static Map<String, String> keys(JsonObject tree) {
    Map<String, String> keys = new TreeMap<>();
    for (String path : leaves(tree, "")) {
      keys.put(envName(path), path);
    }
    return keys;
  }

  /** Applies the overrides in {@code env} to {@code tree} (in place) and returns it. */
  public static JsonObject apply(JsonObject tree, Map<String, String> env) {
    Map<String, String> known = keys(tree);
    known.forEach((name, path) -> {
      String raw = env.get(name);
      if (raw != null && !raw.isBlank()) {
        set(tree, path, parse(path, current(tree, path), raw.trim()));
      }
    });
    unknown(tree, env.keySet()).forEach(name -> LOG.warn("{} is set but is not a configuration key; it is ignored", name));
    return tree;
  }

  /** The MC_* names among {@code names} that neither set a key of {@code tree} nor are read elsewhere (typos). */
  public static List<String> unknown(JsonObject tree, Collection<String> names) {
    Map<String, String> known = keys(tree);
    return names.stream()
      .filter(name -> name.startsWith(PREFIX) && !known.containsKey(name) && !NOT_KEYS.contains(name))
      .sorted()
      .toList();
  }

  private static Object parse(String path, Object current, String raw) {
    if (current instanceof Boolean) {
      if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(raw.toLowerCase());
      }
      throw ConfigException.forKey(path, "true or false", raw);
    }
    if (current instanceof Integer || current instanceof Long) {
      try {
        long value = Long.parseLong(raw);
        return value == (int) value ? (Object) (int) value : (Object) value;
      } catch (NumberFormatException e) {
        throw ConfigException.forKey(path, "a whole number", raw);
      }
    }
    if (current instanceof Number) {
      try {
        return Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        throw ConfigException.forKey(path, "a number", raw);
      }
    }
    if (current instanceof JsonArray) {
      JsonArray list = new JsonArray();
      boolean numeric = !((JsonArray) current).isEmpty() && ((JsonArray) current).getValue(0) instanceof Number;
      for (String part : raw.split(",")) {
        String item = part.trim();
        if (item.isEmpty()) {
          continue;
        }
        list.add(numeric ? parse(path, 0.0, item) : item);
      }
      return list;
    }
    return raw;
  }

  private static List<String> leaves(JsonObject tree, String prefix) {
    List<String> paths = new ArrayList<>();
    for (String field : tree.fieldNames()) {
      Object value = tree.getValue(field);
      String path = prefix.isEmpty() ? field : prefix + "." + field;
      if (value instanceof JsonObject) {
        paths.addAll(leaves((JsonObject) value, path));
      } else if (value instanceof JsonArray && !isScalarList((JsonArray) value)) {
        // lists of objects (rules, say) come from files, not from one variable
        continue;
      } else {
        paths.add(path);
      }
    }
    return paths;
  }

  private static boolean isScalarList(JsonArray array) {
    for (Object item : array) {
      if (item instanceof JsonObject || item instanceof JsonArray) {
        return false;
      }
    }
    return true;
  }

  private static Object current(JsonObject tree, String path) {
    String[] parts = path.split("\\.");
    JsonObject node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    return node.getValue(parts[parts.length - 1]);
  }

  private static void set(JsonObject tree, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }
}
