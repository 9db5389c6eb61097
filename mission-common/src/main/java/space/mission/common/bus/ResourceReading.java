package space.mission.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One sample of a host's resources, published by a monitor on {@code mission.monitor.reading}.
 * {@code host} names the machine; {@code instance} tells several monitors on it apart.
 * Percentages are 0..100. {@code load} is null where the platform has no load average.
 * {@code intervalSeconds} is how often the monitor samples (0 when unknown): how long a silence
 * means the monitor is gone.
 */
public record ResourceReading(String host, String instance, Instant timestamp, Cpu cpu, Load load,
                              Memory memory, Memory swap, List<Disk> disks, List<Network> network,
                              int processes, long uptimeSeconds, int intervalSeconds) {

  public ResourceReading {
    disks = List.copyOf(disks);
    network = List.copyOf(network);
  }

  /** System-wide and per-core CPU use over the last sampling interval. */
  public record Cpu(double usagePercent, List<Double> perCorePercent) {
    public Cpu {
      perCorePercent = List.copyOf(perCorePercent);
    }

    JsonObject toJson() {
      return new JsonObject().put("usagePercent", usagePercent).put("perCorePercent", new JsonArray(new ArrayList<>(perCorePercent)));
    }

    static Cpu fromJson(JsonObject json) {
      List<Double> cores = new ArrayList<>();
      JsonArray array = json.getJsonArray("perCorePercent", new JsonArray());
      for (int i = 0; i < array.size(); i++) {
        cores.add(((Number) array.getValue(i)).doubleValue());
      }
      return new Cpu(Payloads.doubleValue(json, "usagePercent"), cores);
    }
  }

  /** Load averages over 1, 5 and 15 minutes. */
  public record Load(double one, double five, double fifteen) {
    JsonObject toJson() {
      return new JsonObject().put("one", one).put("five", five).put("fifteen", fifteen);
    }

    static Load fromJson(JsonObject json) {
      return json == null ? null
        : new Load(Payloads.doubleValue(json, "one"), Payloads.doubleValue(json, "five"), Payloads.doubleValue(json, "fifteen"));
    }
  }

  /** Used and total bytes of memory or swap. */
  public record Memory(long usedBytes, long totalBytes) {
    public double usedPercent() {
      return totalBytes == 0 ? 0 : 100.0 * usedBytes / totalBytes;
    }

    JsonObject toJson() {
      return new JsonObject().put("usedBytes", usedBytes).put("totalBytes", totalBytes).put("usedPercent", usedPercent());
    }

    static Memory fromJson(JsonObject json) {
      return new Memory(Payloads.longValue(json, "usedBytes"), Payloads.longValue(json, "totalBytes"));
    }
  }

  /** One mounted filesystem. */
  public record Disk(String mount, String type, long usedBytes, long totalBytes, long inodesUsed, long inodesTotal) {
    public double usedPercent() {
      return totalBytes == 0 ? 0 : 100.0 * usedBytes / totalBytes;
    }

    public double inodesUsedPercent() {
      return inodesTotal == 0 ? 0 : 100.0 * inodesUsed / inodesTotal;
    }

    JsonObject toJson() {
      return new JsonObject().put("mount", mount).put("type", type)
        .put("usedBytes", usedBytes).put("totalBytes", totalBytes).put("usedPercent", usedPercent())
        .put("inodesUsed", inodesUsed).put("inodesTotal", inodesTotal).put("inodesUsedPercent", inodesUsedPercent());
    }

    static Disk fromJson(JsonObject json) {
      return new Disk(Payloads.string(json, "mount"), Payloads.optionalString(json, "type"),
        Payloads.longValue(json, "usedBytes"), Payloads.longValue(json, "totalBytes"),
        Payloads.longValue(json, "inodesUsed"), Payloads.longValue(json, "inodesTotal"));
    }
  }

  /** One network interface's traffic rates over the last sampling interval. */
  public record Network(String name, double bytesInPerSecond, double bytesOutPerSecond,
                        double packetsInPerSecond, double packetsOutPerSecond) {
    JsonObject toJson() {
      return new JsonObject().put("name", name)
        .put("bytesInPerSecond", bytesInPerSecond).put("bytesOutPerSecond", bytesOutPerSecond)
        .put("packetsInPerSecond", packetsInPerSecond).put("packetsOutPerSecond", packetsOutPerSecond);
    }

    static Network fromJson(JsonObject json) {
      return new Network(Payloads.string(json, "name"),
        Payloads.doubleValue(json, "bytesInPerSecond"), Payloads.doubleValue(json, "bytesOutPerSecond"),
        Payloads.doubleValue(json, "packetsInPerSecond"), Payloads.doubleValue(json, "packetsOutPerSecond"));
    }
  }

  public JsonObject toJson() {
    JsonObject json = Payloads.versioned()
      .put("host", host)
      .put("instance", instance)
      .put("timestamp", Payloads.format(timestamp))
      .put("cpu", cpu.toJson())
      .put("memory", memory.toJson())
      .put("swap", swap.toJson())
      .put("disks", Payloads.array(disks, Disk::toJson))
      .put("network", Payloads.array(network, Network::toJson))
      .put("processes", processes)
      .put("uptimeSeconds", uptimeSeconds)
      .put("intervalSeconds", intervalSeconds);
    if (load != null) {
      json.put("load", load.toJson());
    }
    return json;
  }

  public static ResourceReading fromJson(JsonObject json) {
    Payloads.checkVersion(json, "ResourceReading");
    return new ResourceReading(
      Payloads.string(json, "host"),
      Payloads.string(json, "instance"),
      Payloads.instant(json, "timestamp"),
      Cpu.fromJson(json.getJsonObject("cpu")),
      Load.fromJson(json.getJsonObject("load")),
      Memory.fromJson(json.getJsonObject("memory")),
      Memory.fromJson(json.getJsonObject("swap")),
      Payloads.list(json, "disks", Disk::fromJson),
      Payloads.list(json, "network", Network::fromJson),
      (int) Payloads.longValue(json, "processes"),
      Payloads.longValue(json, "uptimeSeconds"),
      json.getInteger("intervalSeconds", 0));
  }
}
