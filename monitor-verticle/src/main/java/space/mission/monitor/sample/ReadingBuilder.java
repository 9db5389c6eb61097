package space.mission.monitor.sample;

import space.mission.common.bus.ResourceReading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The parts of one reading, filled in by each metric family's sampler. */
public final class ReadingBuilder {

  final String host;
  final String instance;
  final Instant timestamp;
  ResourceReading.Cpu cpu = new ResourceReading.Cpu(0, List.of());
  ResourceReading.Load load;
  ResourceReading.Memory memory = new ResourceReading.Memory(0, 0);
  ResourceReading.Memory swap = new ResourceReading.Memory(0, 0);
  final List<ResourceReading.Disk> disks = new ArrayList<>();
  final List<ResourceReading.Network> network = new ArrayList<>();
  int processes;
  long uptimeSeconds;
  final int intervalSeconds;

  ReadingBuilder(String host, String instance, Instant timestamp, int intervalSeconds) {
    this.host = host;
    this.instance = instance;
    this.timestamp = timestamp;
    this.intervalSeconds = intervalSeconds;
  }

  ResourceReading build() {
    return new ResourceReading(host, instance, timestamp, cpu, load, memory, swap, disks, network, processes, uptimeSeconds, intervalSeconds);
  }
}
