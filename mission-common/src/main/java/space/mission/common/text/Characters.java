package space.mission.common.text;

/**
 * Lengths as the contract and the database count them: in characters (Unicode code points), not in
 * Java's UTF-16 units. JSON Schema's {@code maxLength} and a utf8mb4 {@code VARCHAR(n)} both count
 * code points, so a string of 150 rockets is 150 long to both, and 300 to {@link String#length()}.
 */
public final class Characters {

  private static final String ELLIPSIS = "…";

  private Characters() {
  }

  public static int count(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * {@code text} cut to at most {@code max} characters, ending in an ellipsis when it was cut; never
   * splits a surrogate pair. Used for texts we compose (an alert's summary quotes a status message,
   * an error quotes a server), which must fit their column whatever they quote.
   */
  public static String atMost(String text, int max) {
    if (text == null || text.length() <= max || count(text) <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, max - 1);
    return text.substring(0, end) + ELLIPSIS;
  }
}
