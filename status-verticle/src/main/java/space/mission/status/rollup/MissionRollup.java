package space.mission.status.rollup;

import space.mission.common.bus.Mission;
import space.mission.common.bus.StatusUpdate;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the rollup of one mission is made of: the mission and the latest update of each subsystem.
 * Immutable; every change makes a new one. Merging keeps the higher update id per subsystem and the
 * higher mission version, so events may arrive in any order, twice, or race a database load, and
 * the result is the same.
 */
public final class MissionRollup {

  private final Mission mission;
  private final SortedMap<String, StatusUpdate> latest;
  private final long maxUpdateId;
  /** The last rendering, reused while nothing that it shows has changed (see {@link RollupRenderer}). */
  volatile RollupRenderer.Rendered rendered;

  private MissionRollup(Mission mission, SortedMap<String, StatusUpdate> latest, long maxUpdateId) {
    this.mission = mission;
    this.latest = latest;
    this.maxUpdateId = maxUpdateId;
  }

  public static MissionRollup of(Mission mission, List<StatusUpdate> latestPerSubsystem) {
    MissionRollup rollup = new MissionRollup(mission, Collections.emptySortedMap(), 0);
    for (StatusUpdate update : latestPerSubsystem) {
      rollup = rollup.with(update);
    }
    return rollup;
  }

  public Mission mission() {
    return mission;
  }

  /** Latest update per subsystem, in subsystem order. */
  public SortedMap<String, StatusUpdate> latest() {
    return latest;
  }

  public long maxUpdateId() {
    return maxUpdateId;
  }

  /** This rollup with {@code update} taken in; {@code this} when it is not newer than what is known. */
  public MissionRollup with(StatusUpdate update) {
    StatusUpdate known = latest.get(update.subsystem());
    if (known != null && known.id() >= update.id()) {
      return this;
    }
    TreeMap<String, StatusUpdate> next = new TreeMap<>(latest);
    next.put(update.subsystem(), update);
    return new MissionRollup(mission, Collections.unmodifiableSortedMap(next), Math.max(maxUpdateId, update.id()));
  }

  /** This rollup with a newer version of the mission; {@code this} when it is not newer. */
  public MissionRollup with(Mission changed) {
    return changed.version() > mission.version() ? new MissionRollup(changed, latest, maxUpdateId) : this;
  }

  /** Both rollups merged: the newer mission and the newer update of every subsystem. */
  public MissionRollup merge(MissionRollup other) {
    MissionRollup merged = with(other.mission);
    for (StatusUpdate update : other.latest.values()) {
      merged = merged.with(update);
    }
    return merged;
  }
}
