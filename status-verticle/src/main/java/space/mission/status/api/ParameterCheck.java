package space.mission.status.api;

import io.vertx.core.json.JsonArray;
import io.vertx.json.schema.JsonSchema;
import space.mission.common.text.Characters;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A direct check of a parameter schema made only of {@code type}, {@code pattern},
 * {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum} and {@code enum} (every
 * parameter of our contract). It only ever says "valid" for values the JSON-schema validator would
 * accept; anything else goes to that validator, which then names the error. The generic validator
 * costs about a quarter of a rollup poll; this costs next to nothing.
 */
final class ParameterCheck {

  private static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "example", "examples", "deprecated");
  private static final Set<String> CHECKED = Set.of("type", "pattern", "minLength", "maxLength", "minimum", "maximum", "enum", "format");

  private final String type;
  private final Pattern pattern;
  private final Integer minLength;
  private final Integer maxLength;
  private final Number minimum;
  private final Number maximum;
  private final List<Object> allowed;

  private ParameterCheck(JsonSchema schema) {
    this.type = schema.get("type");
    String regex = schema.get("pattern");
    this.pattern = regex == null ? null : Pattern.compile(regex);
    this.minLength = schema.get("minLength");
    this.maxLength = schema.get("maxLength");
    this.minimum = schema.get("minimum");
    this.maximum = schema.get("maximum");
    JsonArray values = schema.get("enum");
    this.allowed = values == null ? null : values.getList();
  }

  /** A check for {@code schema}, or empty when it uses anything this class does not know exactly. */
  static Optional<ParameterCheck> of(JsonSchema schema) {
    for (String keyword : schema.fieldNames()) {
      if (keyword.startsWith("__") || ANNOTATIONS.contains(keyword)) {
        continue;
      }
      if (!CHECKED.contains(keyword)) {
        return Optional.empty();
      }
    }
    Object type = schema.get("type");
    Object format = schema.get("format");
    boolean knownFormat = format == null || (("integer".equals(type)) && ("int32".equals(format) || "int64".equals(format)));
    if (!("string".equals(type) || "integer".equals(type)) || !knownFormat) {
      return Optional.empty();
    }
    return Optional.of(new ParameterCheck(schema));
  }

  boolean accepts(Object value) {
    if (allowed != null && !allowed.contains(value)) {
      return false;
    }
    if ("string".equals(type)) {
      if (!(value instanceof String text)) {
        return false;
      }
      int length = Characters.count(text);
      return (minLength == null || length >= minLength)
        && (maxLength == null || length <= maxLength)
        // JSON Schema patterns are not anchored: a match anywhere counts, as with find()
        && (pattern == null || pattern.matcher(text).find());
    }
    if (!(value instanceof Long number)) {
      return false;
    }
    return (minimum == null || number >= minimum.doubleValue()) && (maximum == null || number <= maximum.doubleValue());
  }
}
