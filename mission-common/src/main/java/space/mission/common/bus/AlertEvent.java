package space.mission.common.bus;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert changing state, published on {@code mission.alert.event}. The {@code fingerprint}
 * identifies the alert (rule + labels) across its whole life; {@code labels} carry where it is
 * (host, or mission and subsystem). {@code value} is the observed value that decided the change,
 * null where there is none (a missing monitor).
 */
public record AlertEvent(State state, String rule, Severity severity, Map<String, String> labels, Double value,
                         Instant startsAt, Instant endsAt, String fingerprint, String summary) {

  public enum State { FIRING, RESOLVED }

  public AlertEvent {
    labels = Map.copyOf(labels);
  }

  public JsonObject toJson() {
    JsonObject labelJson = new JsonObject();
    labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> labelJson.put(e.getKey(), e.getValue()));
    JsonObject json = Payloads.versioned()
      .put("state", state.name())
      .put("rule", rule)
      .put("severity", severity.name())
      .put("labels", labelJson)
      .put("value", value)
      .put("startsAt", Payloads.format(startsAt))
      .put("fingerprint", fingerprint)
      .put("summary", summary);
    if (endsAt != null) {
      json.put("endsAt", Payloads.format(endsAt));
    }
    return json;
  }

  public static AlertEvent fromJson(JsonObject json) {
    Payloads.checkVersion(json, "AlertEvent");
    Map<String, String> labels = new LinkedHashMap<>();
    JsonObject labelJson = json.getJsonObject("labels", new JsonObject());
    labelJson.forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    return new AlertEvent(
      Payloads.enumValue(json, "state", State.class),
      Payloads.string(json, "rule"),
      Payloads.enumValue(json, "severity", Severity.class),
      labels,
      Payloads.optionalDouble(json, "value"),
      Payloads.instant(json, "startsAt"),
      Payloads.optionalInstant(json, "endsAt"),
      Payloads.string(json, "fingerprint"),
      Payloads.optionalString(json, "summary"));
  }
}
