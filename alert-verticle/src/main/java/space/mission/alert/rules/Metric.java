package space.mission.alert.rules;

import space.mission.common.bus.ResourceReading;

import java.util.Arrays;
import java.util.List;

/**
 * The values a reading rule can watch, each read straight from a {@link ResourceReading}. Some give
 * one value per reading; others one per core, mount or interface, labelled with it.
 */
public enum Metric {
  CPU_USAGE("cpu.usage", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.cpu().usagePercent());
    }
  },
  CPU_CORE_USAGE("cpu.core.usage", "core") {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      List<Double> cores = reading.cpu().perCorePercent();
      for (int i = 0; i < cores.size(); i++) {
        sink.accept(Integer.toString(i), cores.get(i));
      }
    }
  },
  LOAD_1M("load.1m", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      if (reading.load() != null) {
        sink.accept(null, reading.load().one());
      }
    }
  },
  LOAD_5M("load.5m", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      if (reading.load() != null) {
        sink.accept(null, reading.load().five());
      }
    }
  },
  LOAD_15M("load.15m", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      if (reading.load() != null) {
        sink.accept(null, reading.load().fifteen());
      }
    }
  },
  MEMORY_USAGE("memory.usage", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.memory().usedPercent());
    }
  },
  MEMORY_USED("memory.used", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.memory().usedBytes());
    }
  },
  SWAP_USAGE("swap.usage", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.swap().usedPercent());
    }
  },
  SWAP_USED("swap.used", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.swap().usedBytes());
    }
  },
  DISK_USAGE("disk.usage", "mount") {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      for (ResourceReading.Disk disk : reading.disks()) {
        sink.accept(disk.mount(), disk.usedPercent());
      }
    }
  },
  DISK_INODES_USAGE("disk.inodes.usage", "mount") {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      for (ResourceReading.Disk disk : reading.disks()) {
        sink.accept(disk.mount(), disk.inodesUsedPercent());
      }
    }
  },
  NETWORK_IN("network.in", "interface") {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      for (ResourceReading.Network nic : reading.network()) {
        sink.accept(nic.name(), nic.bytesInPerSecond());
      }
    }
  },
  NETWORK_OUT("network.out", "interface") {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      for (ResourceReading.Network nic : reading.network()) {
        sink.accept(nic.name(), nic.bytesOutPerSecond());
      }
    }
  },
  PROCESSES("processes", null) {
    @Override
    void extract(ResourceReading reading, Sink sink) {
      sink.accept(null, reading.processes());
    }
  };

  /** Receives each value of a reading; {@code item} is the core, mount or interface, or null. */
  public interface Sink {
    void accept(String item, double value);
  }

  public final String key;
  /** The label the item goes under (core, mount, interface), or null for a single value. */
  public final String itemLabel;

  Metric(String key, String itemLabel) {
    this.key = key;
    this.itemLabel = itemLabel;
  }

  abstract void extract(ResourceReading reading, Sink sink);

  public void each(ResourceReading reading, Sink sink) {
    extract(reading, sink);
  }

  static Metric of(String key) {
    return Arrays.stream(values()).filter(metric -> metric.key.equals(key)).findFirst().orElse(null);
  }

  static List<String> keys() {
    return Arrays.stream(values()).map(metric -> metric.key).toList();
  }
}
