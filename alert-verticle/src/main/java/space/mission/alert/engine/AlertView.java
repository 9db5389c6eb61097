package space.mission.alert.engine;

import io.vertx.core.json.JsonObject;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.Severity;
import space.mission.common.text.Characters;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as it stands: what the API shows, the store keeps and notifications carry.
 * {@code startsAt} is when this episode began (pending or firing); it also tells episodes of the
 * same fingerprint apart in deduplication ids.
 */
public record AlertView(String fingerprint, String rule, Severity severity, Map<String, String> labels, AlertState state,
                        Double value, String summary, Instant startsAt, Instant firedAt, Instant resolvedAt,
                        Instant notifiedAt, boolean firingNotified, int repeats,
                        String acknowledgedBy, Instant acknowledgedAt, String acknowledgeComment) {

  /** The summary column's length: a summary quotes what it is about (a status message of up to 2,000 characters), so it is cut to fit. */
  public static final int MAX_SUMMARY = 1000;

  public AlertView {
    labels = Map.copyOf(labels);
    summary = Characters.atMost(summary, MAX_SUMMARY);
  }

  public JsonObject toJson() {
    JsonObject labelJson = new JsonObject();
    labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> labelJson.put(e.getKey(), e.getValue()));
    JsonObject json = new JsonObject()
      .put("fingerprint", fingerprint)
      .put("rule", rule)
      .put("severity", severity.name())
      .put("state", state.name())
      .put("labels", labelJson)
      .put("value", value)
      .put("summary", summary)
      .put("startsAt", startsAt.toString())
      .put("firedAt", firedAt == null ? null : firedAt.toString())
      .put("resolvedAt", resolvedAt == null ? null : resolvedAt.toString());
    if (acknowledgedBy != null) {
      json.put("acknowledged", new JsonObject().put("by", acknowledgedBy).put("at", acknowledgedAt.toString())
        .put("comment", acknowledgeComment));
    }
    return json;
  }

  /** The bus event for this alert's FIRING or RESOLVED state. */
  public AlertEvent event() {
    return new AlertEvent(state == AlertState.RESOLVED ? AlertEvent.State.RESOLVED : AlertEvent.State.FIRING, rule, severity,
      labels, value, firedAt != null ? firedAt : startsAt, resolvedAt, fingerprint, summary);
  }
}
