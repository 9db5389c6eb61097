package space.mission.status.rollup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.Mission;
import space.mission.common.bus.StatusUpdate;
import space.mission.status.db.MissionRepository;
import space.mission.status.db.UpdateRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The in-memory rollups every status poll is served from. A mission is loaded from the database
 * the first time it is asked for; after that, status updates and mission changes from the event
 * bus (from every status instance in the cluster) keep it current, so a poll costs no query.
 *
 * <p>Reads are lock-free from any event loop. Every change happens on one owner context, which
 * makes the race between a load and the events that arrive while it runs simple: events for a
 * mission being loaded are held and merged into the result. A periodic reconcile compares each
 * rollup with the database's watermarks and reloads any that fell behind (a bus message lost in a
 * cluster partition, say).
 */
public final class RollupCache {

  private static final Logger LOG = LoggerFactory.getLogger(RollupCache.class);

  private final Context owner;
  private final MissionRepository missions;
  private final UpdateRepository updates;
  private final ConcurrentHashMap<String, MissionRollup> ready = new ConcurrentHashMap<>();
  /** Owner context only: missions being loaded, with the events that arrived meanwhile. */
  private final Map<String, Loading> loading = new HashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  private static final class Loading {
    final Promise<Optional<MissionRollup>> done = Promise.promise();
    final List<StatusUpdate> heldUpdates = new ArrayList<>();
    Mission heldMission;
  }

  public RollupCache(Context owner, MissionRepository missions, UpdateRepository updates, MeterRegistry registry) {
    this.owner = owner;
    this.missions = missions;
    this.updates = updates;
    Gauge.builder("mission.status.rollups.cached", ready, Map::size)
      .description("Missions whose rollup is held in memory")
      .register(registry);
  }

  /** Called with a mission id, on the owner context, whenever its rollup changes. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** The rollup if it is in memory; never touches the database. */
  public MissionRollup peek(String missionId) {
    return ready.get(missionId);
  }

  /** The rollup, loading it first if need be; empty if there is no such mission. Completes on the caller's context. */
  public Future<Optional<MissionRollup>> get(String missionId) {
    MissionRollup rollup = ready.get(missionId);
    if (rollup != null) {
      return Future.succeededFuture(Optional.of(rollup));
    }
    Context caller = Vertx.currentContext();
    Promise<Optional<MissionRollup>> answer = Promise.promise();
    owner.runOnContext(v -> load(missionId, false).onComplete(result -> {
      if (caller == null) {
        answer.handle(result);
      } else {
        caller.runOnContext(x -> answer.handle(result));
      }
    }));
    return answer.future();
  }

  /** Takes in a mission this instance just wrote, from any context; completes on the caller's context once applied. */
  public Future<Void> offer(Mission mission) {
    Context caller = Vertx.currentContext();
    Promise<Void> applied = Promise.promise();
    owner.runOnContext(v -> {
      apply(mission);
      if (caller == null) {
        applied.complete();
      } else {
        caller.runOnContext(x -> applied.complete());
      }
    });
    return applied.future();
  }

  /** Takes in a committed update. Owner context only. */
  public void apply(StatusUpdate update) {
    Loading pending = loading.get(update.missionId());
    if (pending != null) {
      pending.heldUpdates.add(update);
      return;
    }
    replace(update.missionId(), rollup -> rollup.with(update));
  }

  /** Takes in a created or changed mission. Owner context only. */
  public void apply(Mission mission) {
    Loading pending = loading.get(mission.id());
    if (pending != null) {
      if (pending.heldMission == null || mission.version() > pending.heldMission.version()) {
        pending.heldMission = mission;
      }
      return;
    }
    replace(mission.id(), rollup -> rollup.with(mission));
  }

  /** Compares every rollup in memory with the database and reloads those that fell behind. Owner context only. */
  public Future<Void> reconcile() {
    if (ready.isEmpty()) {
      return Future.succeededFuture();
    }
    return updates.watermarks().map(marks -> {
      marks.forEach((missionId, mark) -> {
        MissionRollup rollup = ready.get(missionId);
        if (rollup != null && (mark.maxUpdateId() > rollup.maxUpdateId() || mark.missionVersion() > rollup.mission().version())) {
          LOG.warn("Rollup of {} was behind the database (update {} < {}); reloading", missionId, rollup.maxUpdateId(), mark.maxUpdateId());
          load(missionId, true);
        }
      });
      return null;
    });
  }

  private void replace(String missionId, java.util.function.UnaryOperator<MissionRollup> change) {
    MissionRollup before = ready.get(missionId);
    if (before == null) {
      // not in memory: the next reader loads it from the database, which already holds this change
      return;
    }
    MissionRollup after = change.apply(before);
    if (after != before) {
      ready.put(missionId, after);
      notifyChanged(missionId);
    }
  }

  private Future<Optional<MissionRollup>> load(String missionId, boolean refresh) {
    if (!refresh && ready.containsKey(missionId)) {
      return Future.succeededFuture(Optional.of(ready.get(missionId)));
    }
    Loading inFlight = loading.get(missionId);
    if (inFlight != null) {
      return inFlight.done.future();
    }
    Loading current = new Loading();
    loading.put(missionId, current);
    missions.find(missionId)
      .compose(found -> found.isEmpty()
        ? Future.succeededFuture(Optional.<MissionRollup>empty())
        : updates.latestPerSubsystem(missionId).map(latest -> Optional.of(MissionRollup.of(found.get(), latest))))
      .onComplete(result -> {
        loading.remove(missionId);
        if (result.failed() || result.result().isEmpty()) {
          current.done.handle(result);
          return;
        }
        MissionRollup loaded = result.result().get();
        if (current.heldMission != null) {
          loaded = loaded.with(current.heldMission);
        }
        for (StatusUpdate held : current.heldUpdates) {
          loaded = loaded.with(held);
        }
        MissionRollup before = ready.get(missionId);
        MissionRollup after = before == null ? loaded : before.merge(loaded);
        ready.put(missionId, after);
        if (before != null && after != before) {
          notifyChanged(missionId);
        }
        current.done.complete(Optional.of(after));
      });
    return current.done.future();
  }

  private void notifyChanged(String missionId) {
    for (Consumer<String> listener : listeners) {
      listener.accept(missionId);
    }
  }
}
