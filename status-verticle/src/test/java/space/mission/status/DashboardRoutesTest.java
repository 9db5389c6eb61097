package space.mission.status;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import space.mission.testkit.FreshDatabase;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's files as the status role serves them (the browser test drives the page itself). */
class DashboardRoutesTest {

  @RegisterExtension
  @Order(1)
  static FreshDatabase db = new FreshDatabase();
  @RegisterExtension
  @Order(2)
  static StatusRole status = StatusRole.on(db)
    // even when reads need a token, the page (which holds no data) does not
    .with(Map.of("MC_API_READS_REQUIRE_TOKEN", "true"));

  @Test
  @DisplayName("/ is the dashboard page, with a strict Content-Security-Policy; its script and style are served")
  void page() {
    HttpResponse<Buffer> page = status.api().get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'").contains("connect-src 'self'");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.bodyAsString()).contains("<title>Mission Control</title>").contains("/ui/app.js");
    assertThat(status.api().get("/ui/app.js").getHeader("Content-Type")).startsWith("text/javascript");
    assertThat(status.api().get("/ui/style.css").getHeader("Content-Type")).startsWith("text/css");
  }

  @Test
  @DisplayName("WebJars are served at a path without their version; a missing file is a 404")
  void webjars() {
    HttpResponse<Buffer> chart = status.api().get("/webjars/chart.js/dist/chart.umd.min.js");
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.bodyAsString()).contains("Chart");
    assertThat(status.api().get("/webjars/chart.js/dist/no-such-file.js").statusCode()).isEqualTo(404);
    assertThat(status.api().get("/webjars/no-such-library/x.js").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("The API still answers 401 without a token when reads require one")
  void apiStillProtected() {
    assertThat(status.api().get("/api/v1/missions").statusCode()).isEqualTo(401);
  }
}
