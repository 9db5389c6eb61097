package space.mission.monitor.logs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.runtime.logs.LocalLogs;
import space.mission.monitor.Readings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesFileSinkTest {

  @Test
  @DisplayName("The local log rotates by size, keeps the configured number of files, and every line is whole JSON in order")
  void rotates(@TempDir Path data) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonLinesFileSink sink = new JsonLinesFileSink(vertx, data, 4096, 2);
      sink.start().await();
      Instant start = Instant.now();
      for (int i = 0; i < 60; i++) {
        sink.write(Readings.at(start.plusMillis(i), i));
      }
      sink.stop().await();
      Path current = LocalLogs.current(data, LocalLogs.RESOURCES);
      Path newest = LocalLogs.rotated(data, LocalLogs.RESOURCES, 1);
      Path oldest = LocalLogs.rotated(data, LocalLogs.RESOURCES, 2);
      assertThat(current).exists();
      assertThat(newest).exists();
      assertThat(oldest).exists();
      assertThat(LocalLogs.rotated(data, LocalLogs.RESOURCES, 3)).doesNotExist();
      List<Double> cpus = new ArrayList<>();
      for (Path file : List.of(oldest, newest, current)) {
        assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
        for (String line : Files.readAllLines(file)) {
          cpus.add(new JsonObject(line).getJsonObject("cpu").getDouble("usagePercent"));
        }
      }
      assertThat(cpus).isSorted().last().isEqualTo(59.0);
    } finally {
      vertx.close().await();
    }
  }
}
