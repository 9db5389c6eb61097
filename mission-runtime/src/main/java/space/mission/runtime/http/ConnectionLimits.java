package space.mission.runtime.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open connections, one per server process (shared by every event loop's server on the
 * port) and one per client address. Thread-safe: each event loop takes and gives back its own.
 */
public final class ConnectionLimits {

  private final int max;
  private final int perClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> byClient = new ConcurrentHashMap<>();

  /** @param perClient 0: no cap per client address */
  public ConnectionLimits(int max, int perClient) {
    this.max = max;
    this.perClient = perClient;
  }

  public enum Refusal { NONE, INSTANCE, CLIENT }

  /** Takes one connection for {@code client}; when a cap is reached nothing is taken and the cap is named. */
  public Refusal tryAcquire(String client) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return Refusal.INSTANCE;
    }
    if (perClient > 0) {
      boolean[] refused = new boolean[1];
      byClient.compute(client, (key, count) -> {
        int now = count == null ? 0 : count;
        if (now >= perClient) {
          refused[0] = true;
          return count;
        }
        return now + 1;
      });
      if (refused[0]) {
        open.decrementAndGet();
        return Refusal.CLIENT;
      }
    }
    return Refusal.NONE;
  }

  public void release(String client) {
    open.decrementAndGet();
    if (perClient > 0) {
      byClient.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }
  }

  public int max() {
    return max;
  }

  public int perClient() {
    return perClient;
  }

  public int open() {
    return open.get();
  }
}
