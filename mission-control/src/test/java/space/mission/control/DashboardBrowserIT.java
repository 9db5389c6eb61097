package space.mission.control;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.testkit.FreshDatabase;
import space.mission.testkit.Infra;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium (Debian's, driven by playwright-core from
 * {@code src/test/browser}) against the whole system as the launcher runs it: a real monitor whose
 * disk reading is over a test rule's threshold, so an alert fires; status updates recorded through
 * the API; a backup started from the page. The script's steps are in {@code dashboard.mjs}; it
 * saves a screenshot of each view under {@code target/screenshots/}.
 */
class DashboardBrowserIT {

  private static final String TOKEN = "dashboard-token-0123456789";
  private static final String RULES = """
    readings:
      - { name: disk-any, metric: disk.usage, comparison: ">", threshold: 0, for: 0s, severity: WARNING }
      - { name: cpu-high, metric: cpu.usage, comparison: ">", threshold: 90, for: 1m, severity: CRITICAL }
      - { name: memory-high, metric: memory.usage, comparison: ">", threshold: 90, for: 1m, severity: CRITICAL }
    status: { name: mission-status, enabled: true }
    """;

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  @TempDir
  static Path data;

  static MissionControl running;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    Path rules = data.resolve("rules.yaml");
    Files.writeString(rules, RULES);
    port = MissionControlTest.freePort();
    running = MissionControl.start(new MissionControl.Options(List.of("status", "alert", "monitor", "backup"), null), Map.of(
      "MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(), "MC_HTTP_PORT", String.valueOf(port), "MC_API_TOKENS", TOKEN,
      "MC_MONITOR_INTERVAL", "1s", "MC_ALERT_RULES_FILE", rules.toString(), "MC_ALERT_GROUP_WAIT", "0s", "MC_ALERT_TICK", "100ms"));
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.stop();
    }
  }

  @Test
  @DisplayName("In Chromium: no console errors; an update changes a mission's level within 2 s; a reading over a threshold "
    + "shows a firing alert that is acknowledged from the page; a backup started from the page; a screenshot of each view")
  void dashboard() throws Exception {
    Path scripts = Path.of(System.getProperty("mission.browser.dir", "src/test/browser"));
    Path screenshots = Path.of(System.getProperty("mission.screenshots.dir", "target/screenshots"));
    Path chromium = Path.of(System.getenv().getOrDefault("MC_TEST_CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isDirectory(scripts.resolve("node_modules/playwright-core"))) {
      Infra.missing("playwright-core", "run npm ci --prefix " + scripts);
    }
    if (!Files.isExecutable(chromium)) {
      Infra.missing("chromium", chromium + " is not there (Debian package chromium)");
    }
    ProcessBuilder builder = new ProcessBuilder("node", "dashboard.mjs").directory(scripts.toFile()).redirectErrorStream(true);
    builder.environment().putAll(Map.of("BASE_URL", "http://127.0.0.1:" + port, "TOKEN", TOKEN,
      "SCREENSHOTS", screenshots.toAbsolutePath().toString(), "CHROMIUM", chromium.toString()));
    Process node = builder.start();
    node.getOutputStream().close();
    List<String> output = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          System.out.println("[dashboard.mjs] " + line);
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (Exception e) {
        // the process ended
      }
    });
    reader.start();
    boolean finished = node.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      node.destroyForcibly();
    }
    reader.join(5_000);
    String transcript;
    synchronized (output) {
      transcript = String.join("\n", output);
    }
    assertThat(finished).as("dashboard.mjs finished in time:\n" + transcript).isTrue();
    assertThat(node.exitValue()).as(transcript).isZero();
    assertThat(transcript).contains("ok: every step passed, no console errors");
    for (String view : List.of("missions", "mission", "resources", "alerts", "backups")) {
      assertThat(screenshots.resolve(view + ".png")).isNotEmptyFile();
    }
  }
}
