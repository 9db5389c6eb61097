package space.mission.status.resources;

import io.vertx.core.json.JsonObject;
import space.mission.common.bus.ResourceReading;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
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

  private final ConcurrentHashMap<String, Latest> byHost = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;

  public LatestReadings(Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
  }

  /** Keeps {@code reading} if it is the newest of its host (readings from several monitors may interleave). */
  public void accept(ResourceReading reading) {
    Instant now = clock.instant();
    byHost.merge(reading.host(), new Latest(reading, now),
      (known, fresh) -> fresh.reading().timestamp().isBefore(known.reading().timestamp()) ? known : fresh);
  }

  public void forgetSilentHosts() {
    Instant oldest = clock.instant().minus(retention);
    byHost.values().removeIf(latest -> latest.receivedAt().isBefore(oldest));
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
