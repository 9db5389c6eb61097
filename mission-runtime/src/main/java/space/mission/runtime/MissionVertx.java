package space.mission.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import space.mission.runtime.cluster.ClusterSettings;
import space.mission.runtime.cluster.HazelcastSetup;
import space.mission.runtime.metrics.MissionMetrics;

import java.util.UUID;

/**
 * Builds the Vert.x instance a JVM runs its roles in: with Micrometer metrics (Prometheus, and
 * whatever else is added to {@link MissionMetrics}) and, when clustering is on, the Hazelcast
 * cluster manager with the event bus bound to this member's address.
 */
public final class MissionVertx {

  private MissionVertx() {
  }

  public static Future<Vertx> start(ClusterSettings cluster) {
    MissionMetrics metrics = new MissionMetrics();
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      // unique per instance: several instances in one JVM (tests) must not share Vert.x's registry
      .setRegistryName("mission-control-" + UUID.randomUUID())
      .addLabels(Label.HTTP_ROUTE);
    VertxOptions options = new VertxOptions().setMetricsOptions(metricsOptions);
    VertxBuilder builder = Vertx.builder()
      .with(options)
      .withMetrics(new MicrometerMetricsFactory(metrics.prometheus()));
    Future<Vertx> vertx;
    if (cluster.enabled()) {
      String host = cluster.effectiveHost();
      options.getEventBusOptions().setHost(host).setClusterPublicHost(cluster.publicHost().orElse(host));
      vertx = builder.withClusterManager(HazelcastSetup.clusterManager(cluster)).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.build());
    }
    return vertx.onSuccess(instance -> MissionMetrics.attach(instance, metrics));
  }
}
