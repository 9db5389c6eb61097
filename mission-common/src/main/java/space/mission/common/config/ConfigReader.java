package space.mission.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to the configuration tree by dotted path. Every failure is a
 * {@link ConfigException} naming the key and its environment variable, so a role's settings record
 * can be built in a few lines and a wrong value stops the start with one precise line.
 */
public final class ConfigReader {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final JsonObject root;

  public ConfigReader(JsonObject root) {
    this.root = root;
  }

  public JsonObject tree() {
    return root;
  }

  public Object raw(String path) {
    JsonObject node = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        return null;
      }
      node = (JsonObject) child;
    }
    return node.getValue(parts[parts.length - 1]);
  }

  public int integer(String path, int min, int max) {
    Object value = raw(path);
    if (value instanceof Number && ((Number) value).doubleValue() == Math.rint(((Number) value).doubleValue())) {
      long number = ((Number) value).longValue();
      if (number >= min && number <= max) {
        return (int) number;
      }
    }
    throw ConfigException.forKey(path, "a whole number from " + min + " to " + max, value);
  }

  public long longInteger(String path, long min, long max) {
    Object value = raw(path);
    if (value instanceof Number && ((Number) value).doubleValue() == Math.rint(((Number) value).doubleValue())) {
      long number = ((Number) value).longValue();
      if (number >= min && number <= max) {
        return number;
      }
    }
    throw ConfigException.forKey(path, "a whole number from " + min + " to " + max, value);
  }

  public double number(String path, double min, double max) {
    Object value = raw(path);
    if (value instanceof Number) {
      double number = ((Number) value).doubleValue();
      if (number >= min && number <= max) {
        return number;
      }
    }
    throw ConfigException.forKey(path, "a number from " + min + " to " + max, value);
  }

  public boolean bool(String path) {
    Object value = raw(path);
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    throw ConfigException.forKey(path, "true or false", value);
  }

  public String string(String path) {
    Object value = raw(path);
    if (value instanceof String && !((String) value).isBlank()) {
      return (String) value;
    }
    throw ConfigException.forKey(path, "a non-empty string", value);
  }

  public Optional<String> optionalString(String path) {
    Object value = raw(path);
    if (value == null || (value instanceof String && ((String) value).isBlank())) {
      return Optional.empty();
    }
    if (value instanceof String) {
      return Optional.of((String) value);
    }
    throw ConfigException.forKey(path, "a string", value);
  }

  public List<String> strings(String path) {
    Object value = raw(path);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String) {
      return Arrays.stream(((String) value).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    if (value instanceof JsonArray) {
      List<String> items = new ArrayList<>();
      for (Object item : (JsonArray) value) {
        if (!(item instanceof String) || ((String) item).isBlank()) {
          throw ConfigException.forKey(path, "a list of non-empty strings", value);
        }
        items.add(((String) item).trim());
      }
      return List.copyOf(items);
    }
    throw ConfigException.forKey(path, "a list of strings", value);
  }

  /** A duration written as {@code 250ms}, {@code 5s}, {@code 1m}, {@code 6h}, {@code 14d}, or a number of seconds. */
  public Duration duration(String path, Duration min, Duration max) {
    Object value = raw(path);
    Duration duration = parseDuration(value);
    if (duration == null || duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw ConfigException.forKey(path, "a duration from " + format(min) + " to " + format(max) + " (like 500ms, 5s, 1m, 6h)", value);
    }
    return duration;
  }

  public <E extends Enum<E>> E enumValue(String path, Class<E> type) {
    Object value = raw(path);
    if (value instanceof String) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase((String) value)) {
          return constant;
        }
      }
    }
    throw ConfigException.forKey(path, "one of " + Arrays.toString(type.getEnumConstants()), value);
  }

  public JsonObject object(String path) {
    Object value = raw(path);
    if (value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw ConfigException.forKey(path, "a section", value);
  }

  /**
   * The one reading of a duration ({@code 250ms}, {@code 5s}, {@code 1m}, {@code 6h}, {@code 14d}, or
   * a number of seconds) that config and alert rules share; null when {@code value} is not one.
   */
  public static Duration parseDuration(Object value) {
    if (value instanceof Number) {
      return Duration.ofMillis(Math.round(((Number) value).doubleValue() * 1000));
    }
    if (!(value instanceof String)) {
      return null;
    }
    Matcher matcher = DURATION.matcher(((String) value).trim());
    if (!matcher.matches()) {
      return null;
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  static String format(Duration duration) {
    if (duration.toMillis() % 1000 != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.getSeconds();
    if (seconds % 86400 == 0) {
      return seconds / 86400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
