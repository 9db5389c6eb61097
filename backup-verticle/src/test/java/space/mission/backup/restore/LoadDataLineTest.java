package space.mission.backup.restore;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadDataLineTest {

  @Test
  @DisplayName("Values become LOAD DATA fields: NULL as \\N, numbers as written, special characters escaped")
  void fields() throws Exception {
    StringWriter out = new StringWriter();
    new LoadDataLine(7).write("[null,\"a\\tb\\nc\\\\d\\u0000e\\r\",12345678901234567890,3.3333333333333335,\"0.1000\",true,\"\\\\N\"]", 1, out);
    assertThat(out.toString()).isEqualTo("\\N\ta\\tb\\nc\\\\d\\0e\\r\t12345678901234567890\t3.3333333333333335\t0.1000\t1\t\\\\N\n");
  }

  @Test
  @DisplayName("A line of the wrong width, or not an array of values, is refused naming the line")
  void wrongLines() {
    assertThatThrownBy(() -> new LoadDataLine(2).write("[1]", 7, new StringWriter())).hasMessageContaining("line 7 has 1 values for 2 columns");
    assertThatThrownBy(() -> new LoadDataLine(1).write("[1,2]", 8, new StringWriter())).hasMessageContaining("line 8 has more values");
    assertThatThrownBy(() -> new LoadDataLine(1).write("{\"a\":1}", 9, new StringWriter())).hasMessageContaining("line 9 is not a JSON array");
    assertThatThrownBy(() -> new LoadDataLine(1).write("[[1]]", 10, new StringWriter())).hasMessageContaining("line 10 holds a START_ARRAY");
  }
}
