package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A request on {@code mission.alert.query}. The action says what is asked; {@code arguments} holds
 * what that action needs (a silence to create, a fingerprint to acknowledge, a page to list).
 * The reply is a JSON object; a refused request fails with a {@link BusFailure} code.
 */
public record AlertQuery(Action action, JsonObject arguments) {

  public enum Action {
    LIST_ALERTS, HISTORY, ACKNOWLEDGE, LIST_SILENCES, CREATE_SILENCE, EXPIRE_SILENCE, LIST_RULES
  }

  public AlertQuery {
    arguments = arguments == null ? new JsonObject() : arguments;
  }

  public JsonObject toJson() {
    return Payloads.versioned().put("action", action.name()).put("arguments", arguments);
  }

  public static AlertQuery fromJson(JsonObject json) {
    Payloads.checkVersion(json, "AlertQuery");
    return new AlertQuery(Payloads.enumValue(json, "action", Action.class), json.getJsonObject("arguments"));
  }
}
