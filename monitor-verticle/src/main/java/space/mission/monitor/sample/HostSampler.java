package space.mission.monitor.sample;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;
import space.mission.common.bus.ResourceReading;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A whole reading of the host: every metric family, sampled one after the other. OSHI reads
 * /proc and system calls, so this blocks: call it from a worker thread, one sample at a time.
 */
public final class HostSampler {

  private final String host;
  private final String instance;
  private final Clock clock;
  private final int intervalSeconds;
  private final List<FamilySampler> families;

  /** Builds the samplers (OSHI's first look at the host takes a moment: do it on a worker too). */
  public HostSampler(String host, String instance, List<String> excludedFilesystemTypes, boolean includeLoopback, Clock clock,
                     Duration interval) {
    this.host = host;
    this.instance = instance;
    this.clock = clock;
    this.intervalSeconds = (int) Math.max(1, interval.toSeconds());
    SystemInfo system = new SystemInfo();
    HardwareAbstractionLayer hardware = system.getHardware();
    OperatingSystem os = system.getOperatingSystem();
    this.families = List.of(
      new CpuSampler(hardware.getProcessor()),
      new LoadSampler(hardware.getProcessor()),
      new MemorySampler(hardware.getMemory()),
      new DiskSampler(os.getFileSystem(), excludedFilesystemTypes),
      new NetworkSampler(hardware, includeLoopback),
      new SystemSampler(os));
  }

  /** The machine's name as the operating system reports it. */
  public static String hostname() {
    String name = new SystemInfo().getOperatingSystem().getNetworkParams().getHostName();
    return name == null || name.isBlank() ? "localhost" : name;
  }

  public ResourceReading sample() {
    ReadingBuilder reading = new ReadingBuilder(host, instance, clock.instant(), intervalSeconds);
    for (FamilySampler family : families) {
      family.sampleInto(reading);
    }
    return reading.build();
  }
}
