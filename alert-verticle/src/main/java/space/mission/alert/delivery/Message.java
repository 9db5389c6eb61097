package space.mission.alert.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.alert.store.OutboxEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a notification says to people, the same in every channel: a subject line, a JSON body
 * (what, where, value, since, severity, a link to the status API, then every alert in detail) and
 * attributes subscribers can filter on (severity, rule, host or mission, kind, deduplication id).
 */
public record Message(String subject, JsonObject body, Map<String, String> attributes) {

  public static Message of(OutboxEntry entry, String publicUrl) {
    JsonArray alerts = entry.alerts();
    JsonObject first = alerts.getJsonObject(0);
    JsonObject labels = first.getJsonObject("labels", new JsonObject());
    String where = where(labels, first.getString("rule"));
    String state = switch (entry.kind()) {
      case FIRING -> "FIRING";
      case REPEAT -> "STILL FIRING";
      case RESOLVED -> "RESOLVED";
    };
    String subject = "[" + entry.severity() + "] " + state + ": " + entry.rule() + " on " + where
      + (alerts.size() > 1 ? " and " + (alerts.size() - 1) + " more" : "");
    String link = publicUrl.replaceAll("/+$", "") + "/api/v1/alerts";
    JsonArray detailed = new JsonArray();
    for (int i = 0; i < alerts.size(); i++) {
      JsonObject alert = alerts.getJsonObject(i);
      detailed.add(alert.copy().put("where", where(alert.getJsonObject("labels", new JsonObject()), alert.getString("rule")))
        .put("link", link + "/history?fingerprint=" + alert.getString("fingerprint")));
    }
    JsonObject body = new JsonObject()
      .put("kind", entry.kind().name())
      .put("state", state)
      .put("what", first.getString("summary"))
      .put("where", where)
      .put("value", first.getValue("value"))
      .put("since", first.getString("firedAt") != null ? first.getString("firedAt") : first.getString("startsAt"))
      .put("resolvedAt", first.getString("resolvedAt"))
      .put("severity", entry.severity().name())
      .put("rule", entry.rule())
      .put("link", link)
      .put("dedupId", entry.dedupId())
      .put("alerts", detailed);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("severity", entry.severity().name());
    attributes.put("rule", entry.rule());
    attributes.put("kind", entry.kind().name());
    attributes.put("dedupId", entry.dedupId());
    if (labels.containsKey("host")) {
      attributes.put("host", labels.getString("host"));
    }
    if (labels.containsKey("mission")) {
      attributes.put("mission", labels.getString("mission"));
    }
    return new Message(ascii(subject, 100), body, attributes);
  }

  private static String where(JsonObject labels, String rule) {
    if (labels.containsKey("mission")) {
      return labels.getString("mission") + (labels.containsKey("subsystem") ? "/" + labels.getString("subsystem") : "");
    }
    StringBuilder where = new StringBuilder(labels.getString("host", labels.getString("source", rule)));
    for (String item : new String[] {"mount", "interface", "core"}) {
      if (labels.containsKey(item)) {
        where.append(' ').append(item).append(' ').append(labels.getString(item));
      }
    }
    return where.toString();
  }

  /** SNS subjects are ASCII, without line breaks, at most 100 characters. */
  static String ascii(String text, int max) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() <= max ? clean : clean.substring(0, max - 3) + "...";
  }
}
