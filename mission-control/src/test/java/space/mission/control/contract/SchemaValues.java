package space.mission.control.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * jqwik generators for the values a JSON schema of the contract allows: the keywords our OpenAPI
 * document uses ($ref, oneOf, enum, type lists, string lengths, patterns and date-times, integer
 * and number bounds, objects with required and optional properties, arrays). Texts mix 1- to
 * 4-byte UTF-8 characters, and lengths are drawn in characters, as JSON Schema counts them.
 * Where the contract states a rule in words that a schema cannot (a silence's time span), the
 * caller overrides the generator for that field.
 */
final class SchemaValues {

  /** Characters texts are made of: ASCII, a space, quotes and escapes, 2-, 3- and 4-byte UTF-8, a newline. */
  private static final List<Integer> CHARACTERS = List.of((int) 'a', (int) 'Z', (int) '7', (int) ' ', (int) '"', (int) '\\', (int) '/',
    (int) '\n', (int) '\t', 0xE9, 0x3A9, 0x20AC, 0x6F22, 0x1F680, 0x1D11E);

  /** What a date-time may be: the range the contract states (what the database stores). */
  private static final long EARLIEST = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
  private static final long LATEST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private final JsonObject document;
  private final Map<String, Arbitrary<Object>> overrides;

  /** {@code overrides}: generators by JSON pointer from the generated value's root, such as "/telemetry". */
  SchemaValues(JsonObject document, Map<String, Arbitrary<Object>> overrides) {
    this.document = document;
    this.overrides = overrides;
  }

  JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    Object node = document;
    for (String part : ref.substring(2).split("/")) {
      node = ((JsonObject) node).getValue(part);
    }
    return resolve((JsonObject) node);
  }

  Arbitrary<Object> of(JsonObject schema, String pointer) {
    Arbitrary<Object> override = overrides.get(pointer);
    if (override != null) {
      return override;
    }
    JsonObject resolved = resolve(schema);
    if ((resolved.containsKey("oneOf") || resolved.containsKey("anyOf")) && !resolved.containsKey("properties")) {
      JsonArray choices = resolved.getJsonArray(resolved.containsKey("oneOf") ? "oneOf" : "anyOf");
      List<Arbitrary<Object>> each = new ArrayList<>();
      for (int i = 0; i < choices.size(); i++) {
        each.add(of(choices.getJsonObject(i), pointer));
      }
      return Arbitraries.oneOf(each);
    }
    if (resolved.containsKey("enum")) {
      return Arbitraries.of(resolved.getJsonArray("enum").getList());
    }
    Object type = resolved.getValue("type");
    if (type instanceof JsonArray types) {
      List<Arbitrary<Object>> each = new ArrayList<>();
      for (Object single : types) {
        each.add(single.equals("null") ? Arbitraries.just(null) : of(resolved.copy().put("type", single), pointer));
      }
      return Arbitraries.oneOf(each);
    }
    return switch (String.valueOf(type)) {
      case "string" -> string(resolved);
      case "integer" -> Arbitraries.longs().between(resolved.getLong("minimum", -1_000_000_000_000L),
        resolved.getLong("maximum", 1_000_000_000_000L)).map(value -> (Object) value);
      case "number" -> Arbitraries.doubles().between(resolved.getDouble("minimum", -1e12), resolved.getDouble("maximum", 1e12))
        .map(value -> (Object) value);
      case "boolean" -> Arbitraries.of(true, false).map(value -> (Object) value);
      case "null" -> Arbitraries.just(null);
      case "array" -> Arbitraries.lazy(() -> of(resolved.getJsonObject("items"), pointer + "/-")).list()
        .ofMinSize(resolved.getInteger("minItems", 0)).ofMaxSize(Math.min(resolved.getInteger("maxItems", 5), 5))
        .map(list -> (Object) new JsonArray(new ArrayList<>(list)));
      case "object" -> object(resolved, pointer);
      default -> throw new IllegalArgumentException("no generator for the schema at " + pointer + ": " + resolved.encode());
    };
  }

  private Arbitrary<Object> string(JsonObject schema) {
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", 60);
    String pattern = schema.getString("pattern");
    if ("date-time".equals(schema.getString("format"))) {
      return dateTimes();
    }
    if (pattern != null) {
      PatternStrings strings = new PatternStrings(pattern, min, max);
      return Arbitraries.randomValue(strings::next).map(text -> (Object) text);
    }
    return texts(min, max);
  }

  /** Texts of {@code min} to {@code max} characters (edges included), made of {@link #CHARACTERS}. */
  static Arbitrary<Object> texts(int min, int max) {
    // lengths at both bounds and across the range, not only the short ones a list generator favours
    Arbitrary<Integer> length = Arbitraries.frequencyOf(
      Tuple.of(2, Arbitraries.just(min)),
      Tuple.of(2, Arbitraries.just(max)),
      Tuple.of(4, Arbitraries.integers().between(min, Math.min(max, min + 10))),
      Tuple.of(4, Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform())));
    return length.flatMap(size -> Arbitraries.of(CHARACTERS).list().ofSize(size))
      .map(codePoints -> {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return (Object) text.toString();
      });
  }

  /** RFC 3339 date-times over the whole storable range, in UTC or with an offset, with up to microseconds. */
  static Arbitrary<Object> dateTimes() {
    Arbitrary<Long> seconds = Arbitraries.longs().between(EARLIEST + 86_400, LATEST - 86_400);
    Arbitrary<Integer> micros = Arbitraries.integers().between(0, 999_999);
    Arbitrary<Integer> offsetMinutes = Arbitraries.of(0, 0, 60, -300, 330, 840, -720);
    return Combinators.combine(seconds, micros, offsetMinutes).as((second, micro, offset) -> {
      Instant instant = Instant.ofEpochSecond(second, micro * 1000L);
      return (Object) DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.ofTotalSeconds(offset * 60)));
    });
  }

  private Arbitrary<Object> object(JsonObject schema, String pointer) {
    JsonObject properties = schema.getJsonObject("properties");
    if (properties == null || properties.isEmpty()) {
      return freeJson(schema.getInteger("maxProperties", 10));
    }
    List<String> required = schema.getJsonArray("required", new JsonArray()).getList();
    List<String> names = new ArrayList<>(properties.fieldNames());
    List<Arbitrary<Optional<Object>>> fields = new ArrayList<>();
    for (String name : names) {
      Arbitrary<Object> value = of(properties.getJsonObject(name), pointer + "/" + name);
      Arbitrary<Boolean> present = required.contains(name) ? Arbitraries.just(true) : Arbitraries.of(true, false);
      fields.add(Combinators.combine(present, value).as((there, v) -> there ? Optional.of(v == null ? NULL : v) : Optional.empty()));
    }
    int minProperties = schema.getInteger("minProperties", 0);
    // "anyOf: [{required: [a]}, {required: [b]}]" beside the properties: at least one of those sets is present
    List<List<String>> oneSetOf = new ArrayList<>();
    schema.getJsonArray("anyOf", new JsonArray()).forEach(choice -> oneSetOf.add(((JsonObject) choice).getJsonArray("required").getList()));
    return Combinators.combine(fields).as(values -> {
      JsonObject object = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        Optional<Object> value = values.get(i);
        if (value.isPresent()) {
          object.put(names.get(i), value.get() == NULL ? null : value.get());
        }
      }
      return (Object) object;
    }).filter(object -> ((JsonObject) object).size() >= minProperties)
      .filter(object -> oneSetOf.isEmpty() || oneSetOf.stream().anyMatch(set -> set.stream().allMatch(((JsonObject) object)::containsKey)));
  }

  /** A property present with the value null (Optional cannot hold null). */
  private static final Object NULL = new Object();

  /** Free-form JSON objects (telemetry): a few levels of objects, arrays and scalars, keys of any text. */
  static Arbitrary<Object> freeJson(int maxProperties) {
    return jsonObject(0, Math.min(maxProperties, 8));
  }

  private static Arbitrary<Object> jsonObject(int depth, int maxProperties) {
    Arbitrary<String> keys = texts(0, 12).map(String.class::cast);
    return Arbitraries.maps(keys, jsonValue(depth + 1)).ofMaxSize(maxProperties).map(map -> {
      JsonObject object = new JsonObject();
      map.forEach(object::put);
      return (Object) object;
    });
  }

  private static Arbitrary<Object> jsonValue(int depth) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
      texts(0, 20),
      Arbitraries.longs().map(value -> (Object) value),
      Arbitraries.doubles().between(-Double.MAX_VALUE, Double.MAX_VALUE).map(value -> (Object) value),
      Arbitraries.of(true, false).map(value -> (Object) value),
      Arbitraries.just(null));
    if (depth >= 3) {
      return scalar;
    }
    return Arbitraries.frequencyOf(
      Tuple.of(6, scalar),
      Tuple.of(1, Arbitraries.lazy(() -> jsonObject(depth, 4))),
      Tuple.of(1, Arbitraries.lazy(() -> jsonValue(depth + 1)).list().ofMaxSize(4)
        .map(list -> (Object) new JsonArray(new ArrayList<>(list)))));
  }

  /** An object nested {@code depth} levels deep (itself the first), the deepest telemetry the contract allows at 31. */
  static JsonObject nested(int depth) {
    JsonObject inner = new JsonObject().put("v", depth);
    for (int i = 1; i < depth; i++) {
      inner = new JsonObject().put("n", inner);
    }
    return inner;
  }
}
