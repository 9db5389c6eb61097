package space.mission.backup.format;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One table in a backup: how to create it, its columns in the order each line lists them, its
 * primary key, and the object holding its rows (key, size, SHA-256 of the stored bytes) with the
 * row count and the SHA-256 of the uncompressed lines (what a restored table must hash to).
 */
public record TableEntry(String name, String createStatement, List<Column> columns, List<String> primaryKey,
                         String key, long rows, long bytes, String sha256, String contentSha256) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("createStatement", createStatement)
      .put("columns", new JsonArray(columns.stream().map(Column::toJson).toList()))
      .put("primaryKey", new JsonArray(primaryKey))
      .put("key", key)
      .put("rows", rows)
      .put("bytes", bytes)
      .put("sha256", sha256)
      .put("contentSha256", contentSha256);
  }

  public static TableEntry fromJson(JsonObject json) {
    return new TableEntry(
      json.getString("name"),
      json.getString("createStatement"),
      json.getJsonArray("columns").stream().map(column -> Column.fromJson((JsonObject) column)).toList(),
      json.getJsonArray("primaryKey").stream().map(String::valueOf).toList(),
      json.getString("key"),
      json.getLong("rows"),
      json.getLong("bytes"),
      json.getString("sha256"),
      json.getString("contentSha256"));
  }
}
