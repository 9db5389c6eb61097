package space.mission.status.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What is acknowledged is exactly what is stored and read back, so a request body that cannot be
 * stored exactly is refused, naming where: bytes that are not UTF-8 (overlong forms, encoded
 * surrogates, code points past U+10FFFF), a string with an unpaired surrogate escape such as
 * {@code "\ud800"} (utf8mb4 would store "?"), a number beyond a double ({@code 1e309} would be
 * stored as "Infinity"), and nesting deeper than MariaDB keeps in a JSON column.
 */
final class ExactJson {

  /**
   * MariaDB refuses JSON documents nested deeper than 32; a stored document (telemetry) sits one
   * level inside the body, so a body may nest 32 levels and a document in it 31, as the contract says.
   */
  static final int MAX_BODY_DEPTH = 32;

  private ExactJson() {
  }

  /** Refuses bytes that are not well-formed UTF-8 (Java's decoder is strict about every form the standard forbids). */
  static void checkUtf8(Buffer raw) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(raw.getBytes());
    try {
      decoder.decode(bytes);
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("the request body is not valid UTF-8 (at byte " + bytes.position() + ")");
    }
  }

  /** Refuses a parsed body holding anything that would not read back as sent. */
  static void check(Object body) {
    check(body, "", 0);
  }

  private static void check(Object value, String path, int depth) {
    if (value instanceof JsonObject || value instanceof JsonArray || value instanceof Map || value instanceof java.util.List) {
      if (depth + 1 > MAX_BODY_DEPTH) {
        throw ApiException.badRequest("the request body nests deeper than " + MAX_BODY_DEPTH + " levels at " + where(path));
      }
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        String field = path + "/" + entry.getKey();
        if (unpairedSurrogate(entry.getKey())) {
          throw ApiException.badRequest("a field name at " + where(path) + " holds an unpaired UTF-16 surrogate, which cannot be stored");
        }
        check(entry.getValue(), field, depth + 1);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        check(array.getValue(i), path + "/" + i, depth + 1);
      }
    } else if (value instanceof String text) {
      if (unpairedSurrogate(text)) {
        throw ApiException.badRequest(where(path) + " holds an unpaired UTF-16 surrogate (such as \\ud800), which cannot be stored");
      }
    } else if (value instanceof Double number && (number.isInfinite() || number.isNaN())
      || value instanceof Float single && (single.isInfinite() || single.isNaN())) {
      throw ApiException.badRequest(where(path) + " is a number beyond the range of a double, which cannot be stored");
    }
  }

  private static String where(String path) {
    return path.isEmpty() ? "the body" : path;
  }

  static boolean unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
