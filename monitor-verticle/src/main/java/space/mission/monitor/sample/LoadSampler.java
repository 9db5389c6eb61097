package space.mission.monitor.sample;

import oshi.hardware.CentralProcessor;
import space.mission.common.bus.ResourceReading;

/** Load averages over 1, 5 and 15 minutes; absent where the platform has none (OSHI answers negative). */
final class LoadSampler implements FamilySampler {

  private final CentralProcessor processor;

  LoadSampler(CentralProcessor processor) {
    this.processor = processor;
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    double[] load = processor.getSystemLoadAverage(3);
    reading.load = load[0] < 0 ? null : new ResourceReading.Load(load[0], load[1], load[2]);
  }
}
