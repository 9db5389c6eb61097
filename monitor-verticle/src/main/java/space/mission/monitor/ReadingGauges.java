package space.mission.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import space.mission.common.bus.ResourceReading;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The latest reading as Micrometer gauges, tagged with host and instance (and core, mount or
 * interface): on /metrics locally, in CloudWatch in AWS mode. Disks, interfaces and cores are
 * multi-gauges, so mounts that come and go appear and disappear with them.
 */
final class ReadingGauges {

  /** Micrometer appends the base unit to the Prometheus name: {@code mission_monitor_network_in_bytes_per_second}. */
  static final String BYTES_PER_SECOND = "bytes.per.second";
  /** For a count per second: {@code mission_monitor_network_packets_in_per_second}. */
  static final String PER_SECOND = "per.second";

  private final AtomicReference<ResourceReading> latest = new AtomicReference<>();
  private final List<Row<?>> rows = new ArrayList<>();

  private record Row<T>(MultiGauge gauge, Function<ResourceReading, List<T>> items, Function<T, Tags> tags, ToDoubleFunction<T> value) {
    void update(ResourceReading reading) {
      List<MultiGauge.Row<?>> values = new ArrayList<>();
      for (T item : items.apply(reading)) {
        double number = value.applyAsDouble(item);
        values.add(MultiGauge.Row.of(tags.apply(item), () -> number));
      }
      gauge.register(values, true);
    }
  }

  ReadingGauges(MeterRegistry registry, String host, String instance) {
    Tags tags = Tags.of("host", host, "instance", instance);
    gauge(registry, "mission.monitor.cpu.usage", "percent", "CPU in use on the host, all cores", tags, reading -> reading.cpu().usagePercent());
    gauge(registry, "mission.monitor.memory.used", "bytes", "Memory in use on the host", tags, reading -> reading.memory().usedBytes());
    gauge(registry, "mission.monitor.memory.total", "bytes", "The host's physical memory", tags, reading -> reading.memory().totalBytes());
    gauge(registry, "mission.monitor.memory.usage", "percent", "Memory in use on the host", tags, reading -> reading.memory().usedPercent());
    gauge(registry, "mission.monitor.swap.used", "bytes", "Swap in use on the host", tags, reading -> reading.swap().usedBytes());
    gauge(registry, "mission.monitor.swap.total", "bytes", "The host's swap space", tags, reading -> reading.swap().totalBytes());
    gauge(registry, "mission.monitor.processes", null, "Processes running on the host", tags, ResourceReading::processes);
    gauge(registry, "mission.monitor.uptime", "seconds", "Time since the host booted", tags, ResourceReading::uptimeSeconds);
    gauge(registry, "mission.monitor.load.1m", null, "The host's load average over 1 minute", tags,
      reading -> reading.load() == null ? Double.NaN : reading.load().one());
    gauge(registry, "mission.monitor.load.5m", null, "The host's load average over 5 minutes", tags,
      reading -> reading.load() == null ? Double.NaN : reading.load().five());
    gauge(registry, "mission.monitor.load.15m", null, "The host's load average over 15 minutes", tags,
      reading -> reading.load() == null ? Double.NaN : reading.load().fifteen());

    row(registry, "mission.monitor.cpu.core.usage", "percent", "CPU in use, per core", tags, this::cores,
      core -> Tags.of("core", String.valueOf(core.index)), core -> core.percent);
    row(registry, "mission.monitor.disk.used", "bytes", "Space in use on the filesystem", tags, ResourceReading::disks,
      ReadingGauges::mount, ResourceReading.Disk::usedBytes);
    row(registry, "mission.monitor.disk.total", "bytes", "The filesystem's size", tags, ResourceReading::disks,
      ReadingGauges::mount, ResourceReading.Disk::totalBytes);
    row(registry, "mission.monitor.disk.usage", "percent", "Space in use on the filesystem", tags, ResourceReading::disks,
      ReadingGauges::mount, ResourceReading.Disk::usedPercent);
    row(registry, "mission.monitor.disk.inodes.usage", "percent", "Inodes in use on the filesystem", tags, ResourceReading::disks,
      ReadingGauges::mount, ResourceReading.Disk::inodesUsedPercent);
    // rates over the last sampling interval, so gauges; Prometheus names want the unit spelled out (bytes_per_second)
    row(registry, "mission.monitor.network.in", BYTES_PER_SECOND, "Bytes received by the interface", tags, ResourceReading::network,
      ReadingGauges::nic, ResourceReading.Network::bytesInPerSecond);
    row(registry, "mission.monitor.network.out", BYTES_PER_SECOND, "Bytes sent by the interface", tags, ResourceReading::network,
      ReadingGauges::nic, ResourceReading.Network::bytesOutPerSecond);
    row(registry, "mission.monitor.network.packets.in", PER_SECOND, "Packets received by the interface", tags, ResourceReading::network,
      ReadingGauges::nic, ResourceReading.Network::packetsInPerSecond);
    row(registry, "mission.monitor.network.packets.out", PER_SECOND, "Packets sent by the interface", tags, ResourceReading::network,
      ReadingGauges::nic, ResourceReading.Network::packetsOutPerSecond);
  }

  void update(ResourceReading reading) {
    latest.set(reading);
    rows.forEach(row -> row.update(reading));
  }

  private void gauge(MeterRegistry registry, String name, String unit, String description, Tags tags,
                     ToDoubleFunction<ResourceReading> value) {
    Gauge.builder(name, latest, holder -> holder.get() == null ? Double.NaN : value.applyAsDouble(holder.get()))
      .tags(tags).baseUnit(unit).description(description).register(registry);
  }

  private <T> void row(MeterRegistry registry, String name, String unit, String description, Tags tags,
                       Function<ResourceReading, List<T>> items, Function<T, Tags> itemTags, ToDoubleFunction<T> value) {
    rows.add(new Row<>(MultiGauge.builder(name).tags(tags).baseUnit(unit).description(description).register(registry), items,
      itemTags, value));
  }

  private record Core(int index, double percent) {
  }

  private List<Core> cores(ResourceReading reading) {
    List<Core> cores = new ArrayList<>();
    List<Double> percents = reading.cpu().perCorePercent();
    for (int i = 0; i < percents.size(); i++) {
      cores.add(new Core(i, percents.get(i)));
    }
    return cores;
  }

  private static Tags mount(ResourceReading.Disk disk) {
    return Tags.of("mount", disk.mount());
  }

  private static Tags nic(ResourceReading.Network nic) {
    return Tags.of("interface", nic.name());
  }
}
