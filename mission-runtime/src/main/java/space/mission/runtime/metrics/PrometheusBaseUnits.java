package space.mission.runtime.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Keeps the JVM meters that Micrometer's binders register (through vertx-micrometer) within
 * Prometheus naming, as {@code promtool check metrics} reads it: base units, and {@code _count} only
 * on histograms and summaries. The two counters the binders keep in milliseconds and nanoseconds
 * ({@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total}) are refused here and
 * counted again in seconds under the same names ({@code jvm_compilation_time_seconds_total},
 * {@code process_cpu_time_seconds_total}); {@code system.cpu.count}, a gauge, becomes
 * {@code system_cpu_processors}. Applied to the Prometheus registry before anything is bound to it.
 */
final class PrometheusBaseUnits implements MeterFilter {

  private static final String COMPILATION = "jvm.compilation.time";
  private static final String PROCESS_CPU = "process.cpu.time";

  static void apply(MeterRegistry registry) {
    registry.config().meterFilter(new PrometheusBaseUnits());
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder(COMPILATION, compilation, bean -> bean.getTotalCompilationTime() / 1_000.0)
        .tag("compiler", compilation.getName()).baseUnit("seconds")
        .description("The approximate accumulated elapsed time spent in compilation").register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
      FunctionCounter.builder(PROCESS_CPU, sun, bean -> bean.getProcessCpuTime() / 1_000_000_000.0).baseUnit("seconds")
        .description("The CPU time used by the Java virtual machine process").register(registry);
    }
  }

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    boolean inSeconds = "seconds".equals(id.getBaseUnit());
    return (id.getName().equals(COMPILATION) || id.getName().equals(PROCESS_CPU)) && !inSeconds ? MeterFilterReply.DENY
      : MeterFilterReply.NEUTRAL;
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
  }
}
