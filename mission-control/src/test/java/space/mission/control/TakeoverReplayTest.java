package space.mission.control;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import space.mission.testkit.FreshDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.testkit.Await.until;

/**
 * Status updates recorded while no alert role listened (a takeover, a restart) are replayed by the
 * next holder from the status watermark, every one in order: a CRITICAL-then-NOMINAL blip inside
 * the window fires and resolves, and is notified both times, exactly once; what was decided before
 * is not notified again.
 */
class TakeoverReplayTest {

  private static final String TOKEN = "replay-token-0123456789abcdef";
  private static final int BLIPS = 5;

  @RegisterExtension
  static FreshDatabase db = new FreshDatabase();

  private static Map<String, String> env(Path data, int port) {
    Map<String, String> env = new HashMap<>(Map.of("MC_DATA_DIR", data.toString(), "MC_DB_URL", db.url().url(),
      "MC_HTTP_PORT", String.valueOf(port), "MC_API_TOKENS", TOKEN, "MC_ALERT_TICK", "100ms"));
    return env;
  }

  private static void record(WebClient web, String subsystem, String level) {
    int status = web.post("/api/v1/missions/replay-1/updates").putHeader("Authorization", "Bearer " + TOKEN)
      .sendJsonObject(new JsonObject().put("subsystem", subsystem).put("level", level).put("message", level + " " + subsystem))
      .await().statusCode();
    assertThat(status).isEqualTo(201);
  }

  private static long outbox(String kind, String subsystem) {
    return db.queryLong("SELECT COUNT(*) FROM notification_outbox WHERE kind = '" + kind + "' AND JSON_UNQUOTE(JSON_EXTRACT(alerts, "
      + "'$[0].labels.subsystem')) = '" + subsystem + "'");
  }


  @Test
  @DisplayName("Blips recorded while no alert role ran are replayed: each fires and resolves, notified once each; earlier ones are not re-sent")
  void blipsInTheWindowAreReplayed(@TempDir Path data) throws Exception {
    int port = MissionControlTest.freePort();
    Vertx client = Vertx.vertx();
    WebClient web = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      MissionControl first = MissionControl.start(new MissionControl.Options(List.of("status", "alert"), null), env(data, port));
      try {
        web.post("/api/v1/missions").putHeader("Authorization", "Bearer " + TOKEN)
          .sendJsonObject(new JsonObject().put("id", "replay-1").put("name", "Replay")).await();
        record(web, "before", "CRITICAL");
        until(Duration.ofSeconds(15), () -> outbox("FIRING", "before") == 1);
        until(Duration.ofSeconds(5), () -> db.queryLong("SELECT COUNT(*) FROM status_watermark") == 1);
      } finally {
        first.stop();
      }

      // the window: the status role records, no alert role listens
      MissionControl statusOnly = MissionControl.start(new MissionControl.Options(List.of("status"), null), env(data, port));
      try {
        for (int i = 0; i < BLIPS; i++) {
          record(web, "blip-" + i, "CRITICAL");
          record(web, "blip-" + i, "NOMINAL");
        }
        record(web, "still", "WARNING");
      } finally {
        statusOnly.stop();
      }

      MissionControl next = MissionControl.start(new MissionControl.Options(List.of("status", "alert"), null), env(data, port));
      try {
        until(Duration.ofSeconds(20), () -> outbox("RESOLVED", "blip-" + (BLIPS - 1)) == 1 && outbox("FIRING", "still") == 1);
        // time must pass: a notification told twice would come after the last one awaited; the counts below rule it out
        Thread.sleep(1000);
        for (int i = 0; i < BLIPS; i++) {
          assertThat(outbox("FIRING", "blip-" + i)).as("blip-%d fired, told once", i).isEqualTo(1);
          assertThat(outbox("RESOLVED", "blip-" + i)).as("blip-%d resolved, told once", i).isEqualTo(1);
        }
        assertThat(outbox("FIRING", "still")).isEqualTo(1);
        assertThat(outbox("FIRING", "before")).as("decided before the window: not told again").isEqualTo(1);
        long lastId = db.queryLong("SELECT MAX(id) FROM status_updates");
        until(Duration.ofSeconds(5), () -> db.queryLong("SELECT last_update_id FROM status_watermark") == lastId);
      } finally {
        next.stop();
      }
    } finally {
      client.close().await();
    }
  }
}
