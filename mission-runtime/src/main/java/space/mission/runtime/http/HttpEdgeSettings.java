package space.mission.runtime.http;

import space.mission.common.config.ConfigReader;

import java.time.Duration;

/**
 * How long a client may take and how many connections it may hold, for every HTTP server a JVM
 * runs (the status API and the management server), from the {@code http.*} configuration.
 *
 * @param idleTimeout             a connection with no request in progress is closed after this long
 * @param headerTimeout           a new connection must have sent a complete request head by then
 * @param bodyTimeout             a request's whole body must have arrived this long after its head
 * @param maxConnections          open connections a server process holds at once; more are answered 503
 * @param maxConnectionsPerClient open connections one client address may hold; 0 turns the cap off
 */
public record HttpEdgeSettings(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                               int maxConnectionsPerClient) {

  public static HttpEdgeSettings from(ConfigReader config) {
    return new HttpEdgeSettings(
      config.duration("http.idleTimeout", Duration.ofMillis(100), Duration.ofHours(1)),
      config.duration("http.headerTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.duration("http.bodyTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
      config.integer("http.maxConnections", 1, 1_000_000),
      config.integer("http.maxConnectionsPerClient", 0, 1_000_000));
  }
}
