package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A request on {@code mission.backup.query}: {@code LIST} answers the catalog (newest first) with
 * the newest verified backup and its age; {@code GET} one backup by {@code id}, with its tables.
 * The reply is a JSON object; a refused request fails with a {@link BusFailure} code.
 */
public record BackupQuery(Action action, JsonObject arguments) {

  public enum Action {
    LIST, GET
  }

  public BackupQuery {
    arguments = arguments == null ? new JsonObject() : arguments;
  }

  /** The catalog. */
  public static BackupQuery list() {
    return new BackupQuery(Action.LIST, null);
  }

  /** One backup, by id. */
  public static BackupQuery get(String id) {
    return new BackupQuery(Action.GET, new JsonObject().put("id", id));
  }

  /** The backup a GET asks for. */
  public String id() {
    return arguments.getString("id");
  }

  public JsonObject toJson() {
    return Payloads.versioned().put("action", action.name()).put("arguments", arguments);
  }

  public static BackupQuery fromJson(JsonObject json) {
    Payloads.checkVersion(json, "BackupQuery");
    return new BackupQuery(Payloads.enumValue(json, "action", Action.class), json.getJsonObject("arguments"));
  }
}
