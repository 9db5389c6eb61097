package space.mission.monitor.sample;

import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;
import space.mission.common.bus.ResourceReading;

/** Memory (used = total - available, as the kernel counts it) and swap. */
final class MemorySampler implements FamilySampler {

  private final GlobalMemory memory;

  MemorySampler(GlobalMemory memory) {
    this.memory = memory;
  }

  @Override
  public void sampleInto(ReadingBuilder reading) {
    long total = memory.getTotal();
    reading.memory = new ResourceReading.Memory(total - memory.getAvailable(), total);
    VirtualMemory swap = memory.getVirtualMemory();
    reading.swap = new ResourceReading.Memory(swap.getSwapUsed(), swap.getSwapTotal());
  }
}
