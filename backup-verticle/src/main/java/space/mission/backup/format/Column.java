package space.mission.backup.format;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/** One column of a backed-up table: its name and its SQL data type (information_schema's DATA_TYPE). */
public record Column(String name, String type) {

  private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry",
    "point", "linestring", "polygon");

  /** Bytes, written as base64 text in the backup. */
  public boolean binary() {
    return BINARY.contains(type);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("type", type);
  }

  public static Column fromJson(JsonObject json) {
    return new Column(json.getString("name"), json.getString("type"));
  }
}
