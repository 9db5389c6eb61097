package space.mission.alert.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mutes notifications for the alerts whose labels (and rule, under the label {@code rule}) match
 * every matcher, from {@code startsAt} until {@code endsAt}. A silenced alert still fires and shows
 * as firing; it is only not notified.
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String author, String comment,
                      Instant createdAt, String expiredBy) {

  public Silence {
    matchers = List.copyOf(matchers);
  }

  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  public boolean mutes(String rule, Map<String, String> labels) {
    for (Matcher matcher : matchers) {
      String actual = matcher.label().equals("rule") ? rule : labels.get(matcher.label());
      if (!matcher.matches(actual)) {
        return false;
      }
    }
    return true;
  }

  public Silence expired(Instant at, String by) {
    return new Silence(id, matchers, startsAt, at.isBefore(endsAt) ? at : endsAt, author, comment, createdAt, by);
  }

  public JsonObject toJson(Instant now) {
    JsonArray list = new JsonArray();
    matchers.forEach(matcher -> list.add(matcher.toJson()));
    return new JsonObject()
      .put("id", id)
      .put("matchers", list)
      .put("startsAt", startsAt.toString())
      .put("endsAt", endsAt.toString())
      .put("author", author)
      .put("comment", comment)
      .put("createdAt", createdAt.toString())
      .put("state", activeAt(now) ? "ACTIVE" : now.isBefore(startsAt) ? "PENDING" : "EXPIRED")
      .put("expiredBy", expiredBy);
  }

  static List<Matcher> matchers(JsonArray json) {
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      matchers.add(Matcher.fromJson(json.getJsonObject(i)));
    }
    return matchers;
  }
}
