package space.mission.monitor.sample;

import oshi.hardware.CentralProcessor;
import space.mission.common.bus.ResourceReading;

import java.util.ArrayList;
import java.util.List;

/** CPU use, system-wide and per core, over the time since the previous sample (OSHI's tick counters). */
final class CpuSampler implements FamilySampler {

  private final CentralProcessor processor;
  private long[] systemTicks;
  private long[][] coreTicks;

  CpuSampler(CentralProcessor processor) {
    this.processor = processor;
    this.systemTicks = processor.getSystemCpuLoadTicks();
    this.coreTicks = processor.getProcessorCpuLoadTicks();
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    double system = percent(processor.getSystemCpuLoadBetweenTicks(systemTicks));
    double[] perCore = processor.getProcessorCpuLoadBetweenTicks(coreTicks);
    systemTicks = processor.getSystemCpuLoadTicks();
    coreTicks = processor.getProcessorCpuLoadTicks();
    List<Double> cores = new ArrayList<>(perCore.length);
    for (double load : perCore) {
      cores.add(percent(load));
    }
    reading.cpu = new ResourceReading.Cpu(system, cores);
  }

  /** OSHI answers a fraction (NaN when no time passed); readings carry 0..100. */
  private static double percent(double fraction) {
    if (Double.isNaN(fraction) || fraction < 0) {
      return 0;
    }
    return Math.min(100, Math.round(fraction * 10_000) / 100.0);
  }
}
