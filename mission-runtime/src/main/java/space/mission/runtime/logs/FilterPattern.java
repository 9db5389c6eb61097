package space.mission.runtime.logs;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The common forms of CloudWatch Logs' filter pattern syntax, so a log rule means the same whether
 * CloudWatch evaluates it (AWS mode: passed to FilterLogEvents as it is) or we do (local mode, and
 * the testkit's stand-in): space-separated terms that must all appear ({@code ERROR},
 * {@code "exact phrase"}), terms prefixed with {@code ?} of which one must appear, and a JSON
 * property test {@code { $.level = "ERROR" }} ({@code =} or {@code !=}, a string, a number, or a
 * prefix ending in {@code *}). An empty pattern matches everything.
 */
public final class FilterPattern {

  private static final Pattern JSON_TEST = Pattern.compile("\\{\\s*\\$\\.([\\w.]+)\\s*(=|!=)\\s*(\"[^\"]*\"|[\\w.*-]+)\\s*}");
  private static final Pattern TERM = Pattern.compile("\\?\"[^\"]*\"|\\?\\S+|\"[^\"]*\"|\\S+");

  private final String raw;
  private final Matcher json;
  private final List<String> all = new ArrayList<>();
  private final List<String> any = new ArrayList<>();

  private FilterPattern(String raw) {
    this.raw = raw.trim();
    Matcher jsonTest = JSON_TEST.matcher(this.raw);
    this.json = jsonTest.matches() ? jsonTest : null;
    if (json == null && this.raw.startsWith("{")) {
      throw new IllegalArgumentException("unsupported JSON filter pattern (use { $.field = \"value\" }): " + raw);
    }
    if (json == null) {
      Matcher terms = TERM.matcher(this.raw);
      while (terms.find()) {
        String term = terms.group();
        if (term.startsWith("?")) {
          any.add(unquote(term.substring(1)));
        } else {
          all.add(unquote(term));
        }
      }
    }
  }

  /** Parses {@code raw}; fails with {@link IllegalArgumentException} for forms this class does not evaluate. */
  public static FilterPattern parse(String raw) {
    return new FilterPattern(raw == null ? "" : raw);
  }

  public String text() {
    return raw;
  }

  public boolean matches(String message) {
    if (json != null) {
      return jsonMatches(message, json.group(1), json.group(2), json.group(3));
    }
    for (String term : all) {
      if (!message.contains(term)) {
        return false;
      }
    }
    return any.isEmpty() || any.stream().anyMatch(message::contains);
  }

  private static boolean jsonMatches(String message, String path, String operator, String expected) {
    Object value;
    try {
      Object node = new JsonObject(message);
      for (String part : path.split("\\.")) {
        node = node instanceof JsonObject object ? object.getValue(part) : null;
      }
      value = node;
    } catch (RuntimeException notJson) {
      return false;
    }
    String wanted = unquote(expected);
    boolean equal;
    if (wanted.endsWith("*")) {
      equal = value != null && String.valueOf(value).startsWith(wanted.substring(0, wanted.length() - 1));
    } else if (value instanceof Number number && !expected.startsWith("\"")) {
      try {
        equal = number.doubleValue() == Double.parseDouble(wanted);
      } catch (NumberFormatException e) {
        equal = false;
      }
    } else {
      equal = value != null && String.valueOf(value).equals(wanted);
    }
    return operator.equals("=") == equal;
  }

  private static String unquote(String term) {
    return term.length() >= 2 && term.startsWith("\"") && term.endsWith("\"") ? term.substring(1, term.length() - 1) : term;
  }
}
