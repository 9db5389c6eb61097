package space.mission.runtime.spool;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskSpoolTest {

  private static List<DiskSpool.Record> records(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> new DiskSpool.Record(1000L + i, "{\"n\":" + i + "}")).toList();
  }

  private static List<String> payloads(List<DiskSpool.Entry> entries) {
    return entries.stream().map(entry -> entry.record().payload()).toList();
  }

  @Test
  @DisplayName("Records come out in order; what is committed is not read again, what is not is read again")
  void fifo(@TempDir Path dir) throws IOException {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20)) {
      spool.append(records(0, 10));
      List<DiskSpool.Entry> first = spool.read(4, Long.MAX_VALUE);
      assertThat(payloads(first)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
      assertThat(spool.read(4, Long.MAX_VALUE)).as("read does not consume").isEqualTo(first);
      spool.commit(first.get(3).after(), 4, null);
      assertThat(spool.pendingRecords()).isEqualTo(6);
      assertThat(payloads(spool.read(100, Long.MAX_VALUE))).hasSize(6).first().isEqualTo("{\"n\":4}");
    }
  }

  @Test
  @DisplayName("What was appended and not committed survives a restart; a line torn by a crash is cut off")
  void survivesRestart(@TempDir Path dir) throws IOException {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20)) {
      spool.append(records(0, 5));
      List<DiskSpool.Entry> entries = spool.read(2, Long.MAX_VALUE);
      spool.commit(entries.get(1).after(), 2, null);
    }
    Path segment;
    try (var files = Files.list(dir)) {
      segment = files.filter(path -> path.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
    }
    Files.write(segment, "1999\t{\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20)) {
      assertThat(spool.pendingRecords()).isEqualTo(3);
      assertThat(payloads(spool.read(100, Long.MAX_VALUE))).containsExactly("{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
      spool.append(records(5, 6));
      assertThat(payloads(spool.read(100, Long.MAX_VALUE))).containsExactly("{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
    }
  }

  @Test
  @DisplayName("Over its bound the spool drops the oldest records, reports them, and keeps them as a pending gap until recorded")
  void bounded(@TempDir Path dir) throws IOException {
    try (DiskSpool spool = DiskSpool.open(dir, 4096)) {
      long dropped = 0;
      for (int i = 0; i < 400; i += 10) {
        DiskSpool.Dropped lost = spool.append(records(i, i + 10));
        dropped += lost == null ? 0 : lost.count();
      }
      assertThat(spool.bytesOnDisk()).isLessThanOrEqualTo(4096 + 600);
      assertThat(dropped).isPositive();
      assertThat(spool.pendingRecords() + dropped).isEqualTo(400);
      DiskSpool.Dropped gap = spool.pendingGap();
      assertThat(gap.count()).isEqualTo(dropped);
      assertThat(gap.fromTimestamp()).isEqualTo(1000L);
      List<DiskSpool.Entry> rest = spool.read(1000, Long.MAX_VALUE);
      assertThat(rest.get(0).record().timestamp()).isEqualTo(1000L + dropped);
      assertThat(spool.lease(spool.cursor(), rest.get(rest.size() - 1).after())).isTrue();
      spool.commit(rest.get(rest.size() - 1).after(), rest.size(), gap);
      assertThat(spool.pendingGap()).isNull();
      assertThat(spool.pendingRecords()).isZero();
    }
  }

  @Test
  @DisplayName("A batch whose segment is dropped while it is out counts as lost only if its send fails")
  void leasedBatch(@TempDir Path dir) throws IOException {
    try (DiskSpool spool = DiskSpool.open(dir, 2048)) {
      spool.append(records(0, 5));
      DiskSpool.Position start = spool.cursor();
      List<DiskSpool.Entry> batch = spool.read(5, Long.MAX_VALUE);
      assertThat(spool.lease(start, batch.get(4).after())).isTrue();
      List<DiskSpool.Dropped> reported = new ArrayList<>();
      for (int i = 5; i < 200; i += 5) {
        DiskSpool.Dropped lost = spool.append(records(i, i + 5));
        if (lost != null) {
          reported.add(lost);
        }
      }
      assertThat(reported.stream().mapToLong(DiskSpool.Dropped::count).sum())
        .as("records of the batch in the air are not reported as dropped").isEqualTo(spool.pendingGap().count());
      DiskSpool.Dropped lost = spool.release();
      assertThat(lost).as("the send failed: the batch dropped under it is lost").isNotNull();
      assertThat(lost.count()).isEqualTo(5);
      assertThat(lost.fromTimestamp()).isEqualTo(1000L);
      assertThat(spool.pendingGap().count()).isEqualTo(reported.stream().mapToLong(DiskSpool.Dropped::count).sum() + 5);
    }
  }

  @Test
  @DisplayName("Two senders cannot own one spool directory")
  void exclusive(@TempDir Path dir) throws IOException {
    try (DiskSpool spool = DiskSpool.open(dir, 4096)) {
      assertThatThrownBy(() -> DiskSpool.open(dir, 4096)).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
  }
}
