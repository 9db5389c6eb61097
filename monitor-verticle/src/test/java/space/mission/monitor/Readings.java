package space.mission.monitor;

import space.mission.common.bus.ResourceReading;

import java.time.Instant;
import java.util.List;

/** Small, valid readings for tests that need many with chosen timestamps. */
public final class Readings {

  private Readings() {
  }

  public static ResourceReading at(Instant timestamp, double cpu) {
    return new ResourceReading("test-host", "i-1", timestamp, new ResourceReading.Cpu(cpu, List.of(cpu)),
      new ResourceReading.Load(0.1, 0.2, 0.3), new ResourceReading.Memory(100, 1000), new ResourceReading.Memory(0, 0),
      List.of(new ResourceReading.Disk("/", "ext4", 10, 100, 1, 10)), List.of(), 42, 3600, 5);
  }
}
