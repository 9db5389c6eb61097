package space.mission.status.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.common.bus.ResourceReading;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest reading of every host, fed by {@code mission.monitor.reading} from every monitor in
 * the cluster; what {@code GET /api/v1/system/resources} answers from. In memory only: after a
 * restart it fills again within one sampling interval. Hosts silent for longer than the retention
 * are forgotten.
 */
public final class LatestReadings {

  private record Latest(ResourceReading reading, Instant receivedAt) {
  }

  /** What one point of a host's history holds, in order. */
  public static final List<String> HISTORY_COLUMNS = List.of("t", "cpu", "memory", "disk", "netIn", "netOut");
  /** Points kept per host at most, whatever the window: one a second for an hour. */
  private static final int MAX_POINTS = 3600;

  private final ConcurrentHashMap<String, Latest> byHost = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ArrayDeque<double[]>> historyByHost = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;
  private final Duration history;

  public LatestReadings(Clock clock, Duration retention, Duration history) {
    this.clock = clock;
    this.retention = retention;
    this.history = history;
  }

  /** Keeps {@code reading} if it is the newest of its host (readings from several monitors may interleave). */
  public void accept(ResourceReading reading) {
    Instant now = clock.instant();
    byHost.merge(reading.host(), new Latest(reading, now),
      (known, fresh) -> fresh.reading().timestamp().isBefore(known.reading().timestamp()) ? known : fresh);
    ArrayDeque<double[]> points = historyByHost.computeIfAbsent(reading.host(), host -> new ArrayDeque<>());
    synchronized (points) {
      points.addLast(point(reading));
      long oldest = now.minus(history).toEpochMilli();
      while (points.size() > MAX_POINTS || points.peekFirst()[0] < oldest) {
        points.removeFirst();
      }
    }
  }

  /** The charted values of a reading: the fullest disk stands for the host's disks, interfaces are summed. */
  private static double[] point(ResourceReading reading) {
    double disk = reading.disks().stream().mapToDouble(ResourceReading.Disk::usedPercent).max().orElse(0);
    double in = reading.network().stream().mapToDouble(ResourceReading.Network::bytesInPerSecond).sum();
    double out = reading.network().stream().mapToDouble(ResourceReading.Network::bytesOutPerSecond).sum();
    return new double[] {reading.timestamp().toEpochMilli(), reading.cpu().usagePercent(), reading.memory().usedPercent(), disk, in, out};
  }

  /** Each host's recent points ({@link #HISTORY_COLUMNS}), oldest first; {@code host} null for every host. */
  public List<JsonObject> history(String host) {
    long oldest = clock.instant().minus(history).toEpochMilli();
    return historyByHost.entrySet().stream()
      .filter(entry -> host == null || entry.getKey().equals(host))
      .sorted(Map.Entry.comparingByKey())
      .map(entry -> {
        JsonArray points = new JsonArray();
        synchronized (entry.getValue()) {
          for (double[] point : entry.getValue()) {
            if (point[0] >= oldest) {
              points.add(JsonArray.of((long) point[0], point[1], point[2], point[3], point[4], point[5]));
            }
          }
        }
        return new JsonObject().put("host", entry.getKey()).put("points", points);
      })
      .toList();
  }

  public void forgetSilentHosts() {
    Instant oldest = clock.instant().minus(retention);
    byHost.values().removeIf(latest -> latest.receivedAt().isBefore(oldest));
    historyByHost.keySet().removeIf(host -> !byHost.containsKey(host));
  }

  /** The latest readings, by host name; {@code host} null for every host. */
  public List<JsonObject> view(String host) {
    Instant now = clock.instant();
    return byHost.values().stream()
      .filter(latest -> host == null || latest.reading().host().equals(host))
      .sorted(Comparator.comparing(latest -> latest.reading().host()))
      .map(latest -> {
        JsonObject json = latest.reading().toJson();
        json.remove("v");
        return json.put("receivedAt", latest.receivedAt().toString())
          .put("ageSeconds", Math.max(0, Duration.between(latest.reading().timestamp(), now).getSeconds()));
      })
      .toList();
  }
}
