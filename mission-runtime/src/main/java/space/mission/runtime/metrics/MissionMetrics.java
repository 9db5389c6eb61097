package space.mission.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The meter registries of one Vert.x instance: a Prometheus registry, always (it serves
 * {@code /metrics}), inside a composite that every role records to, so another backend (CloudWatch
 * in AWS mode) is one {@code add} away. Vert.x's own metrics (HTTP, pools, event bus) go to the
 * Prometheus registry directly when the instance is built by {@link space.mission.runtime.MissionVertx}.
 */
public final class MissionMetrics {

  private static final Map<Vertx, MissionMetrics> BY_VERTX = new WeakHashMap<>();

  private final PrometheusMeterRegistry prometheus;
  private final CompositeMeterRegistry composite;

  public MissionMetrics() {
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusBaseUnits.apply(prometheus);
    this.composite = new CompositeMeterRegistry();
    this.composite.add(prometheus);
  }

  /** Binds these registries to {@code vertx}, for the roles deployed in it to find. */
  public static void attach(Vertx vertx, MissionMetrics metrics) {
    synchronized (BY_VERTX) {
      BY_VERTX.put(vertx, metrics);
    }
  }

  /** The registries of {@code vertx}; a Vert.x built elsewhere (a plain test instance) gets its own on first use. */
  public static MissionMetrics of(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx, v -> new MissionMetrics());
    }
  }

  /** Where roles record their meters. */
  public MeterRegistry registry() {
    return composite;
  }

  public CompositeMeterRegistry composite() {
    return composite;
  }

  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }
}
