package space.mission.monitor;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.ResourceReading;
import space.mission.testkit.TestCluster;
import space.mission.testkit.TestConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClusteredReadingTest {

  @Test
  @DisplayName("A reading published by a monitor in one clustered Vert.x instance is received in another")
  void acrossTheCluster(@TempDir Path data) throws Exception {
    TestCluster cluster = TestCluster.create();
    Vertx monitorSide = cluster.member();
    Vertx otherSide = cluster.member();
    try {
      CompletableFuture<ResourceReading> received = new CompletableFuture<>();
      otherSide.eventBus().<JsonObject>consumer(Addresses.MONITOR_READING, message -> received.complete(ResourceReading.fromJson(message.body())))
        .completion().await();
      JsonObject config = TestConfig.load(monitorSide, List.of(MonitorVerticle.ROLE),
        Map.of("MC_DATA_DIR", data.toString(), "MC_MONITOR_INTERVAL", "1s", "MC_MONITOR_HOST", "far-side"));
      monitorSide.deployVerticle(new MonitorVerticle(), new DeploymentOptions().setConfig(config)).await();
      ResourceReading reading = received.get(20, TimeUnit.SECONDS);
      assertThat(reading.host()).isEqualTo("far-side");
      assertThat(reading.disks()).isNotEmpty();
    } finally {
      Future.join(monitorSide.close(), otherSide.close()).await();
    }
  }
}
