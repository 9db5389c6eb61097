package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A request on {@code mission.alert.query}. The action says what is asked; {@code arguments} holds
 * what that action needs, written and read through the typed records below (a silence to create is
 * the API's body as given: the alert role judges it and says what is wrong). The reply is a JSON
 * object; a refused request fails with a {@link BusFailure} code. Build one with the factories;
 * {@link #acknowledge()}, {@link #history()}, {@link #expireSilence()} and {@link #silence()} read
 * the arguments back. The alert role judges {@link #arguments()} itself before it reads them (a
 * sender is any process on the bus): the readers take values as {@link JsonObject} gives them.
 */
public record AlertQuery(Action action, JsonObject arguments) {

  public enum Action {
    LIST_ALERTS, HISTORY, ACKNOWLEDGE, LIST_SILENCES, CREATE_SILENCE, EXPIRE_SILENCE, LIST_RULES
  }

  /** Acknowledge the firing alert {@code fingerprint}; {@code comment} may be null. */
  public record Acknowledge(String fingerprint, String by, String comment) {
  }

  /** A page of alert history, newest first: {@code fingerprint} (or null for all), entries with ids below {@code before} (or null). */
  public record History(int limit, String fingerprint, Long before) {
  }

  /** End the silence {@code id} now; {@code by} may be null. */
  public record ExpireSilence(String id, String by) {
  }

  public AlertQuery {
    arguments = arguments == null ? new JsonObject() : arguments;
  }

  public static AlertQuery listAlerts() {
    return new AlertQuery(Action.LIST_ALERTS, null);
  }

  public static AlertQuery listSilences() {
    return new AlertQuery(Action.LIST_SILENCES, null);
  }

  public static AlertQuery listRules() {
    return new AlertQuery(Action.LIST_RULES, null);
  }

  public static AlertQuery acknowledge(Acknowledge request) {
    return new AlertQuery(Action.ACKNOWLEDGE, new JsonObject().put("fingerprint", request.fingerprint())
      .put("by", request.by()).put("comment", request.comment()));
  }

  public static AlertQuery history(History request) {
    JsonObject arguments = new JsonObject().put("limit", request.limit()).put("fingerprint", request.fingerprint());
    if (request.before() != null) {
      arguments.put("before", request.before());
    }
    return new AlertQuery(Action.HISTORY, arguments);
  }

  public static AlertQuery expireSilence(ExpireSilence request) {
    return new AlertQuery(Action.EXPIRE_SILENCE, new JsonObject().put("id", request.id()).put("by", request.by()));
  }

  /** {@code silence}: matchers, startsAt, duration or endsAt, createdBy, comment, as the API received them. */
  public static AlertQuery createSilence(JsonObject silence) {
    return new AlertQuery(Action.CREATE_SILENCE, silence);
  }

  /** The arguments of an ACKNOWLEDGE. */
  public Acknowledge acknowledge() {
    return new Acknowledge(arguments.getString("fingerprint"), arguments.getString("by"), arguments.getString("comment"));
  }

  /** The arguments of a HISTORY. */
  public History history() {
    return new History(arguments.getInteger("limit", 50), arguments.getString("fingerprint"), arguments.getLong("before"));
  }

  /** The arguments of an EXPIRE_SILENCE. */
  public ExpireSilence expireSilence() {
    return new ExpireSilence(arguments.getString("id"), arguments.getString("by"));
  }

  /** The silence a CREATE_SILENCE asks for, as sent. */
  public JsonObject silence() {
    return arguments;
  }

  public JsonObject toJson() {
    return Payloads.versioned().put("action", action.name()).put("arguments", arguments);
  }

  public static AlertQuery fromJson(JsonObject json) {
    Payloads.checkVersion(json, "AlertQuery");
    return new AlertQuery(Payloads.enumValue(json, "action", Action.class), json.getJsonObject("arguments"));
  }
}
