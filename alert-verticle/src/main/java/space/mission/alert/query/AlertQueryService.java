package space.mission.alert.query;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.alert.engine.AlertEngine;
import space.mission.alert.engine.AlertView;
import space.mission.alert.engine.Matcher;
import space.mission.alert.engine.Silence;
import space.mission.alert.store.AlertStore;
import space.mission.common.bus.AlertQuery;
import space.mission.common.bus.BusFailure;
import space.mission.common.text.Characters;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers {@code mission.alert.query}: active alerts, acknowledgements, silences and history. A
 * change (acknowledge, silence) is answered only after it is committed; a refused request fails
 * with a {@link BusFailure} code the status API turns into the matching HTTP problem.
 */
public final class AlertQueryService {

  private static final Logger LOG = LoggerFactory.getLogger(AlertQueryService.class);

  private static final Duration MAX_SILENCE = Duration.ofDays(90);
  private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  private final AlertEngine engine;
  private final AlertStore store;
  private final Clock clock;
  /** Commits what the engine decided (and hands notifications on); completes when committed. */
  private final Supplier<Future<Void>> commit;

  public AlertQueryService(AlertEngine engine, AlertStore store, Clock clock, Supplier<Future<Void>> commit) {
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.commit = commit;
  }

  public void handle(Message<Object> message) {
    AlertQuery query;
    try {
      query = AlertQuery.fromJson((JsonObject) message.body());
    } catch (RuntimeException e) {
      message.fail(BusFailure.BAD_REQUEST.code, "not an alert query: " + e.getMessage());
      return;
    }
    Future<JsonObject> answer;
    try {
      answer = switch (query.action()) {
        case LIST_ALERTS -> Future.succeededFuture(alerts());
        case ACKNOWLEDGE -> acknowledge(query.arguments());
        case LIST_SILENCES -> Future.succeededFuture(silences());
        case CREATE_SILENCE -> createSilence(query.arguments());
        case EXPIRE_SILENCE -> expireSilence(query.arguments());
        case HISTORY -> history(query.arguments());
        case LIST_RULES -> Future.succeededFuture(RulesView.of(engine.rules()));
      };
    } catch (Refusal refusal) {
      answer = Future.failedFuture(refusal);
    } catch (RuntimeException unexpected) {
      // a bug must not leave the asker waiting for the bus timeout: it answers at once, and says what failed
      LOG.error("Alert query {} failed", query.action(), unexpected);
      message.fail(BusFailure.UNAVAILABLE.code, "the alert role could not answer " + query.action() + ": " + unexpected);
      return;
    }
    answer.onSuccess(message::reply).onFailure(failure -> {
      if (failure instanceof Refusal refusal) {
        message.fail(refusal.code, refusal.getMessage());
      } else {
        message.fail(BusFailure.UNAVAILABLE.code, "the alert store is unavailable: " + failure.getMessage());
      }
    });
  }

  private JsonObject alerts() {
    JsonArray items = new JsonArray();
    for (AlertView alert : engine.active()) {
      items.add(alert.toJson().put("silencedBy", new JsonArray(engine.silencedBy(alert))));
    }
    return new JsonObject().put("items", items).put("nextCursor", null);
  }

  private Future<JsonObject> acknowledge(JsonObject arguments) {
    String fingerprint = required(arguments, "fingerprint", 64);
    String by = required(arguments, "by", 200);
    String comment = optional(arguments, "comment", 2000);
    AlertEngine.Acknowledgement result = engine.acknowledge(fingerprint, by, comment);
    if (result.refusal() != null) {
      throw new Refusal(result.missing() ? BusFailure.NOT_FOUND : BusFailure.CONFLICT, result.refusal());
    }
    return commit.get().map(done -> result.alert().toJson());
  }

  private JsonObject silences() {
    Instant now = clock.instant();
    JsonArray items = new JsonArray();
    engine.silences().stream().filter(silence -> !silence.endsAt().isBefore(now.minus(Duration.ofHours(1))))
      .forEach(silence -> items.add(silence.toJson(now)));
    return new JsonObject().put("items", items).put("nextCursor", null);
  }

  private Future<JsonObject> createSilence(JsonObject arguments) {
    JsonArray raw = arguments.getJsonArray("matchers");
    if (raw == null || raw.isEmpty()) {
      throw new Refusal(BusFailure.BAD_REQUEST, "a silence needs at least one matcher");
    }
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonObject matcher = raw.getJsonObject(i);
      String label = required(matcher, "label", 64);
      String value = required(matcher, "value", 1000);
      boolean regex = matcher.getBoolean("regex", false);
      if (!LABEL.matcher(label).matches()) {
        throw new Refusal(BusFailure.BAD_REQUEST, "matchers[" + i + "].label must be a label name (letters, digits, _), got \"" + label + "\"");
      }
      if (regex) {
        try {
          Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          throw new Refusal(BusFailure.BAD_REQUEST, "matchers[" + i + "].value is not a valid regular expression: " + e.getDescription());
        }
      }
      matchers.add(new Matcher(label, value, regex));
    }
    Instant now = clock.instant();
    Instant startsAt = instant(arguments, "startsAt", now);
    Instant endsAt;
    if (arguments.getValue("endsAt") != null) {
      endsAt = instant(arguments, "endsAt", null);
    } else {
      String duration = required(arguments, "duration", 40);
      Duration length;
      try {
        length = Duration.parse(duration);
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new Refusal(BusFailure.BAD_REQUEST, "duration must be an ISO-8601 duration such as PT2H, got \"" + duration + "\"");
      }
      if (length.compareTo(MAX_SILENCE) > 0) {
        throw new Refusal(BusFailure.BAD_REQUEST, "a silence may last at most " + MAX_SILENCE.toDays() + " days, got " + duration);
      }
      endsAt = startsAt.plus(length);
    }
    if (startsAt.isAfter(now.plus(MAX_SILENCE))) {
      throw new Refusal(BusFailure.BAD_REQUEST, "a silence may start at most " + MAX_SILENCE.toDays() + " days from now, got " + startsAt);
    }
    if (!endsAt.isAfter(startsAt) || !endsAt.isAfter(now)) {
      throw new Refusal(BusFailure.BAD_REQUEST, "a silence must end after it starts and after now");
    }
    if (Duration.between(startsAt, endsAt).compareTo(MAX_SILENCE) > 0) {
      throw new Refusal(BusFailure.BAD_REQUEST, "a silence may last at most " + MAX_SILENCE.toDays() + " days");
    }
    Silence silence = engine.addSilence(matchers, startsAt, endsAt, required(arguments, "author", 200), required(arguments, "comment", 2000));
    return commit.get().map(done -> silence.toJson(clock.instant()));
  }

  private Future<JsonObject> expireSilence(JsonObject arguments) {
    String id = required(arguments, "id", 64);
    Silence expired = engine.expireSilence(id, optional(arguments, "by", 200))
      .orElseThrow(() -> new Refusal(BusFailure.NOT_FOUND, "no silence has id " + id));
    return commit.get().map(done -> expired.toJson(clock.instant()));
  }

  private Future<JsonObject> history(JsonObject arguments) {
    int limit = arguments.getInteger("limit", 50);
    long before = arguments.getLong("before", Long.MAX_VALUE);
    String fingerprint = optional(arguments, "fingerprint", 64);
    return store.history(fingerprint, before, limit + 1).map(rows -> {
      JsonArray items = new JsonArray();
      rows.stream().limit(limit).forEach(items::add);
      Long next = rows.size() > limit ? rows.get(limit - 1).getLong("id") : null;
      return new JsonObject().put("items", items).put("nextBefore", next);
    });
  }

  /**
   * The same rules as the contract's schemas, measured the same way: lengths in characters (code
   * points), a required text at least one character long (spaces count, as in JSON Schema), an
   * optional one possibly empty. The status role checks the contract first; these hold for anyone
   * else asking on the bus.
   */
  private static String required(JsonObject arguments, String field, int max) {
    String text = text(arguments, field, max);
    if (text == null || text.isEmpty()) {
      throw new Refusal(BusFailure.BAD_REQUEST, field + " is required (a non-empty string)");
    }
    return text;
  }

  private static String optional(JsonObject arguments, String field, int max) {
    return text(arguments, field, max);
  }

  private static String text(JsonObject arguments, String field, int max) {
    Object value = arguments.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new Refusal(BusFailure.BAD_REQUEST, field + " must be a string");
    }
    if (Characters.count(text) > max) {
      throw new Refusal(BusFailure.BAD_REQUEST, field + " is longer than " + max + " characters");
    }
    return text;
  }

  private static Instant instant(JsonObject arguments, String field, Instant fallback) {
    Object value = arguments.getValue(field);
    if (value == null) {
      return fallback;
    }
    try {
      return java.time.OffsetDateTime.parse(value.toString()).toInstant();
    } catch (DateTimeParseException e) {
      throw new Refusal(BusFailure.BAD_REQUEST, field + " must be an RFC 3339 date-time, got \"" + value + "\"");
    }
  }

  /** A request refused with a bus failure code. */
  static final class Refusal extends RuntimeException {
    final int code;

    Refusal(BusFailure failure, String message) {
      super(message, null, false, false);
      this.code = failure.code;
    }
  }
}
