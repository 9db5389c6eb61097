package space.mission.backup.format;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;

import java.util.Base64;
import java.util.List;

/** Turns a backed-up line back into the values of an INSERT, by column type (the inverse of {@link RowWriter}). */
public final class RowReader {

  private final List<Column> columns;
  private final boolean[] binary;

  public RowReader(List<Column> columns) {
    this.columns = columns;
    this.binary = new boolean[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      binary[i] = columns.get(i).binary();
    }
  }

  /** Appends the line's values to {@code into}; a line of the wrong width is an error naming the line. */
  public void read(String line, long lineNumber, Tuple into) {
    JsonArray values = new JsonArray(line);
    if (values.size() != columns.size()) {
      throw new IllegalStateException("line " + lineNumber + " has " + values.size() + " values for " + columns.size() + " columns");
    }
    for (int i = 0; i < values.size(); i++) {
      Object value = values.getValue(i);
      if (value != null && binary[i]) {
        into.addValue(Buffer.buffer(Base64.getDecoder().decode((String) value)));
      } else {
        into.addValue(value);
      }
    }
  }
}
