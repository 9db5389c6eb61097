package space.mission.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reading and writing the fields every payload shares. A payload that cannot be read fails with an
 * {@link IllegalArgumentException} that names the field, so a bad message from another JVM is
 * reported precisely instead of surfacing later as a null.
 */
public final class Payloads {

  /** The schema version written by this build. Readers accept any version from 1 up to this one. */
  public static final int VERSION = 1;

  private Payloads() {
  }

  public static JsonObject versioned() {
    return new JsonObject().put("v", VERSION);
  }

  public static void checkVersion(JsonObject json, String type) {
    if (json == null) {
      throw new IllegalArgumentException(type + ": payload is missing");
    }
    Object v = json.getValue("v");
    if (!(v instanceof Number) || ((Number) v).intValue() < 1) {
      throw new IllegalArgumentException(type + ": field v must be a schema version >= 1, got " + v);
    }
    if (((Number) v).intValue() > VERSION) {
      throw new IllegalArgumentException(type + ": schema version " + v + " is newer than this build understands (" + VERSION + ")");
    }
  }

  public static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw new IllegalArgumentException("field " + field + " must be a non-empty string, got " + value);
    }
    return (String) value;
  }

  public static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException("field " + field + " must be a string, got " + value);
    }
    return (String) value;
  }

  public static long longValue(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("field " + field + " must be a number, got " + value);
    }
    return ((Number) value).longValue();
  }

  public static double doubleValue(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("field " + field + " must be a number, got " + value);
    }
    return ((Number) value).doubleValue();
  }

  public static Double optionalDouble(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("field " + field + " must be a number, got " + value);
    }
    return ((Number) value).doubleValue();
  }

  public static Instant instant(JsonObject json, String field) {
    Instant value = optionalInstant(json, field);
    if (value == null) {
      throw new IllegalArgumentException("field " + field + " must be an ISO-8601 instant, got null");
    }
    return value;
  }

  public static Instant optionalInstant(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value.toString());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field " + field + " must be an ISO-8601 instant, got " + value);
    }
  }

  public static <E extends Enum<E>> E enumValue(JsonObject json, String field, Class<E> type) {
    String value = string(json, field);
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field " + field + " must be one of " + List.of(type.getEnumConstants()) + ", got " + value);
    }
  }

  public static <T> List<T> list(JsonObject json, String field, Function<JsonObject, T> reader) {
    JsonArray array = json.getJsonArray(field);
    if (array == null) {
      return List.of();
    }
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(reader.apply(array.getJsonObject(i)));
    }
    return List.copyOf(items);
  }

  public static <T> JsonArray array(List<T> items, Function<T, JsonObject> writer) {
    JsonArray array = new JsonArray();
    for (T item : items) {
      array.add(writer.apply(item));
    }
    return array;
  }

  public static String format(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
