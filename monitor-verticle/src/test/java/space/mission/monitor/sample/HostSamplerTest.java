package space.mission.monitor.sample;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import space.mission.common.bus.ResourceReading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampler's values are sane on the machine the tests run on. */
class HostSamplerTest {

  static HostSampler sampler;
  static ResourceReading reading;

  @BeforeAll
  static void sample() throws Exception {
    sampler = new HostSampler("test-host", "i-1", List.of("tmpfs", "devtmpfs", "ramfs", "squashfs"), false, Clock.systemUTC(), java.time.Duration.ofSeconds(5));
    // time must pass: CPU usage is the difference between two samples of the kernel's counters
    Thread.sleep(300);
    reading = sampler.sample();
  }

  @Test
  @DisplayName("Memory total matches /proc/meminfo, and used is within it")
  void memory() throws Exception {
    long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
      .filter(line -> line.startsWith("MemTotal:"))
      .mapToLong(line -> Long.parseLong(line.replaceAll("\\D+", "")))
      .findFirst().orElseThrow();
    assertThat(reading.memory().totalBytes()).isEqualTo(memTotalKb * 1024);
    assertThat(reading.memory().usedBytes()).isBetween(1L, reading.memory().totalBytes());
    assertThat(reading.memory().usedPercent()).isBetween(0.0, 100.0);
    assertThat(reading.swap().usedBytes()).isBetween(0L, Math.max(0, reading.swap().totalBytes()));
  }

  @Test
  @DisplayName("CPU percentages, system-wide and for every core, are between 0 and 100")
  void cpu() throws Exception {
    // time must pass: CPU usage is the difference between two samples of the kernel's counters
    Thread.sleep(200);
    ResourceReading next = sampler.sample();
    assertThat(next.cpu().usagePercent()).isBetween(0.0, 100.0);
    assertThat(next.cpu().perCorePercent()).hasSize(Runtime.getRuntime().availableProcessors())
      .allSatisfy(core -> assertThat(core).isBetween(0.0, 100.0));
  }

  @Test
  @DisplayName("Filesystems include / with sane sizes and percentages")
  void filesystems() {
    assertThat(reading.disks()).extracting(ResourceReading.Disk::mount).contains("/");
    for (ResourceReading.Disk disk : reading.disks()) {
      assertThat(disk.totalBytes()).as(disk.mount()).isPositive();
      assertThat(disk.usedBytes()).as(disk.mount()).isBetween(0L, disk.totalBytes());
      assertThat(disk.usedPercent()).isBetween(0.0, 100.0);
      assertThat(disk.inodesUsedPercent()).isBetween(0.0, 100.0);
      assertThat(disk.type()).isNotIn("tmpfs", "devtmpfs");
    }
  }

  @Test
  @DisplayName("Network rates are never negative; processes and uptime are counted; the reading names its host and instance")
  void rest() {
    assertThat(reading.network()).allSatisfy(nic -> {
      assertThat(nic.bytesInPerSecond()).isNotNegative();
      assertThat(nic.packetsOutPerSecond()).isNotNegative();
      assertThat(nic.name()).isNotEqualTo("lo");
    });
    assertThat(reading.processes()).isPositive();
    assertThat(reading.uptimeSeconds()).isPositive();
    assertThat(reading.host()).isEqualTo("test-host");
    assertThat(reading.instance()).isEqualTo("i-1");
    assertThat(reading.intervalSeconds()).isEqualTo(5);
    if (reading.load() != null) {
      assertThat(reading.load().one()).isNotNegative();
    }
    System.out.println(reading.toJson().encodePrettily());
  }
}
