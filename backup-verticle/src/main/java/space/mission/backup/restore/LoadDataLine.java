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
 * twice. Reads the JSON as a token stream: no value objects.
 */
final class LoadDataLine {

  private static final JsonFactory JSON = new JsonFactory();

  private final int width;

  LoadDataLine(int width) {
    this.width = width;
  }

  /** Writes {@code line}'s fields and a newline to {@code out}; a line that is not an array of the table's width fails, naming it. */
  void write(String line, long lineNumber, Writer out) throws IOException {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalStateException("line " + lineNumber + " is not a JSON array");
      }
      int fields = 0;
      for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; fields++) {
        if (token == null || fields == width) {
          throw new IllegalStateException("line " + lineNumber + " has more values than the table's " + width + " columns, or is cut short");
        }
        if (fields > 0) {
          out.write('\t');
        }
        switch (token) {
          case VALUE_NULL -> out.write("\\N");
          case VALUE_STRING -> escape(parser.getText(), out);
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.write(parser.getText());
          case VALUE_TRUE -> out.write('1');
          case VALUE_FALSE -> out.write('0');
          default -> throw new IllegalStateException("line " + lineNumber + " holds a " + token + " where a column's value belongs");
        }
      }
      if (fields != width) {
        throw new IllegalStateException("line " + lineNumber + " has " + fields + " values for " + width + " columns");
      }
      out.write('\n');
    }
  }

  /** The characters LOAD DATA's default ESCAPED BY '\\' gives a meaning to. */
  private static void escape(String text, Writer out) throws IOException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.write("\\\\");
        case '\t' -> out.write("\\t");
        case '\n' -> out.write("\\n");
        case '\r' -> out.write("\\r");
        case '\0' -> out.write("\\0");
        default -> out.write(c);
      }
    }
  }
}
