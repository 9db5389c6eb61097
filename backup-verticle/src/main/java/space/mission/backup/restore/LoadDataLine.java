package space.mission.backup.restore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.Writer;

/**
 * Turns a backed-up line (a JSON array, see {@code RowWriter}) into a line of LOAD DATA's text
 * format: fields split by tabs, {@code \N} for NULL, backslash escapes. Numbers keep the digits the
 * backup wrote and bytes stay base64 (the LOAD statement decodes them), so nothing is converted
 * twice. Reads the JSON as a token stream (no value objects) and puts the line together before it
 * writes it: a {@code Writer} takes a lock on every call, and a call per char cost the restore
 * more than parsing the JSON did.
 */
final class LoadDataLine {

  private static final JsonFactory JSON = new JsonFactory();

  private final int width;
  private final StringBuilder fields = new StringBuilder(256);

  LoadDataLine(int width) {
    this.width = width;
  }

  /** Writes {@code line}'s fields and a newline to {@code out}; a line that is not an array of the table's width fails, naming it. */
  void write(String line, long lineNumber, Writer out) throws IOException {
    StringBuilder text = fields;
    text.setLength(0);
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("line " + lineNumber + " is not a JSON array");
      }
      int count = 0;
      for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; count++) {
        if (token == null || count == width) {
          throw new IllegalStateException("line " + lineNumber + " has more values than the table's " + width + " columns, or is cut short");
        }
        if (count > 0) {
          text.append('\t');
        }
        switch (token) {
          case VALUE_NULL -> text.append("\\N");
          case VALUE_STRING -> escape(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), text);
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> text.append(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
          case VALUE_TRUE -> text.append('1');
          case VALUE_FALSE -> text.append('0');
          default -> throw new IllegalStateException("line " + lineNumber + " holds a " + token + " where a column's value belongs");
        }
      }
      if (count != width) {
        throw new IllegalStateException("line " + lineNumber + " has " + count + " values for " + width + " columns");
      }
    }
    text.append('\n');
    out.append(text);
  }

  /** The characters LOAD DATA's default ESCAPED BY '\\' gives a meaning to; the runs between them are copied whole. */
  private static void escape(char[] chars, int offset, int length, StringBuilder into) {
    int run = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      String escaped = switch (chars[i]) {
        case '\\' -> "\\\\";
        case '\t' -> "\\t";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\0' -> "\\0";
        default -> null;
      };
      if (escaped != null) {
        into.append(chars, run, i - run).append(escaped);
        run = i + 1;
      }
    }
    into.append(chars, run, end - run);
  }
}
