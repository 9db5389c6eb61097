package space.mission.backup.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.data.Numeric;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * Writes rows as lines of JSON arrays, one value per column in the manifest's order. The form is
 * canonical (the same row always gives the same bytes), so a restored table can be hashed and
 * compared with the snapshot: numbers as numbers (DECIMAL as text, to keep every digit), date-times
 * as {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, bytes as base64, JSON columns as their JSON text.
 */
public final class RowWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final int DATE_TIME_LENGTH = 26;

  private final JsonGenerator out;
  private final List<Column> columns;
  /** Reused for every date-time: a million rows have two million of them. */
  private final char[] dateTime = new char[DATE_TIME_LENGTH];
  private long rows;

  public RowWriter(OutputStream target, List<Column> columns) {
    try {
      this.out = JSON.createGenerator(target);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.out.setRootValueSeparator(new SerializedString(""));
    this.columns = columns;
  }

  public void write(Row row) throws IOException {
    out.writeStartArray();
    for (int i = 0; i < columns.size(); i++) {
      writeValue(row.getValue(i), columns.get(i));
    }
    out.writeEndArray();
    out.writeRaw('\n');
    rows++;
  }

  /** Pushes what is buffered to the target (call before looking at the target's state). */
  public void flush() throws IOException {
    out.flush();
  }

  public long rows() {
    return rows;
  }

  private void writeValue(Object value, Column column) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (column.type().equals("json")) {
      // MySQL 8 hands JSON values back decoded (objects, arrays, scalars): keep their JSON text
      out.writeString(Json.encode(value));
    } else if (value instanceof String text) {
      out.writeString(text);
    } else if (value instanceof Long number) {
      out.writeNumber(number);
    } else if (value instanceof Integer number) {
      out.writeNumber(number);
    } else if (value instanceof Short number) {
      out.writeNumber(number);
    } else if (value instanceof Byte number) {
      out.writeNumber(number);
    } else if (value instanceof Double number) {
      out.writeNumber(number);
    } else if (value instanceof Float number) {
      out.writeNumber(number);
    } else if (value instanceof BigInteger number) {
      out.writeNumber(number);
    } else if (value instanceof Numeric number) {
      BigDecimal decimal = number.bigDecimalValue();
      out.writeString(decimal == null ? number.toString() : decimal.toPlainString());
    } else if (value instanceof BigDecimal decimal) {
      out.writeString(decimal.toPlainString());
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else if (value instanceof LocalDateTime time) {
      if (formatDateTime(time, dateTime)) {
        out.writeString(dateTime, 0, DATE_TIME_LENGTH);
      } else {
        out.writeString(DATE_TIME.format(time));
      }
    } else if (value instanceof LocalDate date) {
      out.writeString(date.toString());
    } else if (value instanceof LocalTime time) {
      out.writeString(time.toString());
    } else if (value instanceof Duration time) {
      out.writeString(formatTime(time));
    } else if (value instanceof Buffer bytes) {
      out.writeString(Base64.getEncoder().encodeToString(bytes.getBytes()));
    } else {
      throw new IOException("column " + column.name() + " of type " + column.type() + " holds a " + value.getClass().getSimpleName()
        + ", which backups do not handle");
    }
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss.SSSSSS} into {@code into} by hand: what {@link #DATE_TIME} gives,
   * several times faster (the formatter was the backup's largest cost per row). False for a year
   * outside 0..9999, which the formatter writes (MySQL's DATETIME has no such years).
   */
  static boolean formatDateTime(LocalDateTime time, char[] into) {
    int year = time.getYear();
    if (year < 0 || year > 9999) {
      return false;
    }
    digits(into, 0, year, 4);
    into[4] = '-';
    digits(into, 5, time.getMonthValue(), 2);
    into[7] = '-';
    digits(into, 8, time.getDayOfMonth(), 2);
    into[10] = ' ';
    digits(into, 11, time.getHour(), 2);
    into[13] = ':';
    digits(into, 14, time.getMinute(), 2);
    into[16] = ':';
    digits(into, 17, time.getSecond(), 2);
    into[19] = '.';
    digits(into, 20, time.getNano() / 1000, 6);
    return true;
  }

  private static void digits(char[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** A MySQL TIME value: may be negative and longer than a day. */
  static String formatTime(Duration time) {
    Duration positive = time.abs();
    String text = String.format("%02d:%02d:%02d.%06d", positive.toHours(), positive.toMinutesPart(), positive.toSecondsPart(),
      positive.toNanosPart() / 1000);
    return time.isNegative() ? "-" + text : text;
  }
}
