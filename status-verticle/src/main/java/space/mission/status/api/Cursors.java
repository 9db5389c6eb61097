package space.mission.status.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors. A cursor names the list it belongs to and the position after which the
 * next page starts; it is base64url so clients pass it back untouched. A cursor from another list,
 * or one that was altered, is refused with 400.
 */
final class Cursors {

  /** The lists that hand out cursors, each with its tag. */
  enum Kind {
    MISSIONS("m"), UPDATES_BEFORE("b"), UPDATES_AFTER("a"), ALERT_HISTORY("h");

    final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  private static final String VERSION = "1";

  private Cursors() {
  }

  static String encode(Kind kind, long position) {
    String raw = VERSION + ":" + kind.tag + ":" + position;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  /** The position in {@code cursor}, which must belong to one of {@code expected}. */
  static Position decode(String cursor, Kind... expected) {
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = raw.split(":");
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw invalid();
    }
    long position;
    try {
      position = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (position < 0) {
      throw invalid();
    }
    for (Kind kind : expected) {
      if (kind.tag.equals(parts[1])) {
        return new Position(kind, position);
      }
    }
    throw ApiException.badRequest("the cursor belongs to another list");
  }

  record Position(Kind kind, long value) {
  }

  private static ApiException invalid() {
    return ApiException.badRequest("the cursor is not one this API handed out; start again without a cursor");
  }
}
