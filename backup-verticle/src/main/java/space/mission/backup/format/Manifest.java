package space.mission.backup.format;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code <backup id>/manifest.json}, written last: a backup without one is not a backup. It lists
 * every table with its object's size and SHA-256, the schema version of each role (from their
 * Flyway histories), where the snapshot came from, and when it started and ended.
 */
public record Manifest(int format, String backupId, String sourceDatabase, String serverVersion, Instant startedAt, Instant finishedAt,
                       Map<String, String> schemaVersions, List<TableEntry> tables) {

  public static final int FORMAT = 1;
  public static final String FILE = "manifest.json";

  public static String key(String backupId) {
    return backupId + "/" + FILE;
  }

  /** The backup a store key is the manifest of; empty for any other key (a table's object, a stray file). */
  public static Optional<String> backupIdOf(String key) {
    String suffix = "/" + FILE;
    return key.endsWith(suffix) ? Optional.of(key.substring(0, key.length() - suffix.length())) : Optional.empty();
  }

  /**
   * The SHA-256 (hex) of a manifest's stored bytes, as the catalog keeps it: computed over the bytes
   * as written or as read back, never over a re-encoding, so a manifest edited in the store differs.
   */
  public static String checksum(Buffer stored) {
    return HexFormat.of().formatHex(CompressedObject.newSha256().digest(stored.getBytes()));
  }

  public static String tableKey(String backupId, String table) {
    return backupId + "/" + table + ".ndjson.gz";
  }

  public long rows() {
    return tables.stream().mapToLong(TableEntry::rows).sum();
  }

  public long bytes() {
    return tables.stream().mapToLong(TableEntry::bytes).sum();
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("format", format)
      .put("backupId", backupId)
      .put("sourceDatabase", sourceDatabase)
      .put("serverVersion", serverVersion)
      .put("startedAt", startedAt.toString())
      .put("finishedAt", finishedAt.toString())
      .put("schemaVersions", new JsonObject(new TreeMap<String, Object>(schemaVersions)))
      .put("rows", rows())
      .put("bytes", bytes())
      .put("tables", new JsonArray(tables.stream().map(TableEntry::toJson).toList()));
  }

  public Buffer toBuffer() {
    return Buffer.buffer(toJson().encodePrettily());
  }

  /** Reads a manifest; one of a newer format than this build understands is refused rather than misread. */
  public static Manifest fromJson(JsonObject json) {
    int format = json.getInteger("format", 0);
    if (format != FORMAT) {
      throw new IllegalArgumentException("manifest format " + format + " is not one this version reads (" + FORMAT + ")");
    }
    Map<String, String> versions = new TreeMap<>();
    json.getJsonObject("schemaVersions", new JsonObject()).forEach(entry -> versions.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new Manifest(format, json.getString("backupId"), json.getString("sourceDatabase"), json.getString("serverVersion"),
      Instant.parse(json.getString("startedAt")), Instant.parse(json.getString("finishedAt")), versions,
      json.getJsonArray("tables").stream().map(table -> TableEntry.fromJson((JsonObject) table)).toList());
  }
}
