package space.mission.status.rollup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls held by one event loop, by mission. Confined to that event loop's context: the
 * rollup cache's change notifications are delivered there. The count of held polls is shared by
 * every event loop of the instance so the configured maximum bounds the whole instance.
 */
public final class RollupWatchers {

  /** A held request; asked to look again whenever its mission's rollup changes. */
  public interface Watcher {
    void recheck();
  }

  private final Map<String, Set<Watcher>> byMission = new HashMap<>();
  private final AtomicInteger held;
  private final int max;

  public RollupWatchers(AtomicInteger held, int max) {
    this.held = held;
    this.max = max;
  }

  /** Holds {@code watcher}; false when the instance already holds the maximum. */
  public boolean add(String missionId, Watcher watcher) {
    if (held.incrementAndGet() > max) {
      held.decrementAndGet();
      return false;
    }
    byMission.computeIfAbsent(missionId, id -> new LinkedHashSet<>()).add(watcher);
    return true;
  }

  public void remove(String missionId, Watcher watcher) {
    Set<Watcher> watchers = byMission.get(missionId);
    if (watchers != null && watchers.remove(watcher)) {
      held.decrementAndGet();
      if (watchers.isEmpty()) {
        byMission.remove(missionId);
      }
    }
  }

  public void changed(String missionId) {
    Set<Watcher> watchers = byMission.get(missionId);
    if (watchers != null) {
      for (Watcher watcher : new ArrayList<>(watchers)) {
        watcher.recheck();
      }
    }
  }
}
