package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/** One condition of a silence: a label equal to a value, or matching a regular expression (whole value). */
public record Matcher(String label, String value, boolean regex) {

  public boolean matches(String actual) {
    if (actual == null) {
      return false;
    }
    return regex ? Pattern.compile(value).matcher(actual).matches() : value.equals(actual);
  }

  public JsonObject toJson() {
    return new JsonObject().put("label", label).put("value", value).put("regex", regex);
  }

  public static Matcher fromJson(JsonObject json) {
    return new Matcher(json.getString("label"), json.getString("value"), json.getBoolean("regex", false));
  }
}
