package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.testkit.Await;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.Infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Prometheus user's own check says of /metrics: a launcher with every role scrapes clean
 * with {@code promtool check metrics} (Debian's prometheus package), so every metric has HELP text
 * and a name in base units. Without promtool the test is skipped, or fails under
 * {@code MC_REQUIRE_ALL_INFRA=true}.
 */
class MetricsPromtoolTest {

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @Test
  @DisplayName("promtool check metrics finds nothing to complain about on the /metrics of a launcher running every role")
  void promtoolIsClean(@TempDir Path data) throws Exception {
    requirePromtool();
    int port = MissionControlTest.freePort();
    MissionControl running = MissionControl.start(new MissionControl.Options(List.of("status", "monitor", "alert", "backup"), null), Map.of(
      "MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_HTTP_PORT", String.valueOf(port), "MC_MONITOR_INTERVAL", "1s"));
    Vertx client = Vertx.vertx();
    try {
      WebClient web = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      // the monitor's gauges appear with its first reading
      String scrape = Await.value(Duration.ofSeconds(15), Duration.ofMillis(200), () -> web.get("/metrics").send().await().bodyAsString(),
        body -> body.contains("mission_monitor_network_in_bytes_per_second"));
      assertThat(scrape).contains("mission_monitor_cpu_usage_percent", "mission_monitor_network_in_bytes_per_second",
        "jvm_compilation_time_seconds_total");
      Path scraped = data.resolve("metrics.txt");
      Files.writeString(scraped, scrape);
      Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scraped.toFile())
        .redirectErrorStream(true).start();
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).as("promtool answers within 30 s").isTrue();
      String complaints = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(complaints).as("promtool check metrics").isEmpty();
      assertThat(promtool.exitValue()).isZero();
    } finally {
      running.stop();
      client.close().await();
    }
  }

  private static void requirePromtool() throws InterruptedException {
    try {
      Process version = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      if (version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0) {
        return;
      }
      version.destroyForcibly();
      Infra.missing("promtool (Debian package prometheus)", "promtool --version did not succeed");
    } catch (IOException e) {
      Infra.missing("promtool (Debian package prometheus)", "not on the PATH: " + e.getMessage());
    }
  }
}
