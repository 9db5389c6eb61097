package space.mission.status.stream;

import space.mission.common.config.ConfigReader;

import java.time.Duration;

/** The live feed's limits ({@code status.stream.*}). */
public record StreamSettings(int ring, int clientQueue, Duration heartbeat, int replayLimit, int maxClients, Duration batchWindow,
                             double writeShare) {

  public static StreamSettings from(ConfigReader config) {
    return new StreamSettings(
      config.integer("status.stream.ring", 16, 10_000_000),
      config.integer("status.stream.clientQueue", 1, 1_000_000),
      config.duration("status.stream.heartbeat", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.integer("status.stream.replayLimit", 0, 100_000),
      config.integer("status.stream.maxClients", 1, 1_000_000),
      config.duration("status.stream.batchWindow", Duration.ZERO, Duration.ofSeconds(1)),
      config.number("status.stream.writeShare", 0.0001, 1));
  }
}
