package space.mission.backup.format;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RowWriterTest {

  private static final DateTimeFormatter CANONICAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  @Test
  @DisplayName("Date-times formatted by hand are exactly what the canonical formatter writes, over MySQL's whole range")
  void dateTimesMatchTheFormatter() {
    SplittableRandom random = new SplittableRandom(42);
    char[] into = new char[26];
    for (int i = 0; i < 200_000; i++) {
      LocalDateTime time = LocalDateTime.of(random.nextInt(0, 10_000), 1 + random.nextInt(12), 1 + random.nextInt(28),
        random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000) * 1000);
      assertThat(RowWriter.formatDateTime(time, into)).isTrue();
      assertThat(new String(into)).isEqualTo(CANONICAL.format(time));
    }
    LocalDateTime edge = LocalDateTime.of(1000, 1, 1, 0, 0, 0, 999_999_999);
    RowWriter.formatDateTime(edge, into);
    assertThat(new String(into)).isEqualTo(CANONICAL.format(edge)).isEqualTo("1000-01-01 00:00:00.999999");
    assertThat(RowWriter.formatDateTime(LocalDateTime.of(10_000, 1, 1, 0, 0), into)).isFalse();
  }
}
