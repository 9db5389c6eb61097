package space.mission.alert;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.StatusClient;
import space.mission.common.bus.StatusSince;
import space.mission.common.bus.StatusUpdate;
import space.mission.runtime.spool.Backoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Status updates published while no alert role listened (a failover, a restart) would otherwise be
 * missed. With a status watermark (the newest update committed decisions cover), every update
 * recorded after it is asked of the status role and replayed in order, so a fire-and-resolve pair
 * inside the takeover window is decided and told as it would have been; live updates wait until
 * the replay is done. On the very first start there is no watermark: the newest update of every
 * subsystem is applied instead. Runs on the alert verticle's context only.
 */
final class StatusCatchUp {

  private static final Logger LOG = LoggerFactory.getLogger(StatusCatchUp.class);
  private static final int REPLAY_PAGE = Addresses.STATUS_SINCE_MAX_LIMIT;
  private static final long ASK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final StatusClient status;
  private final AlertDecider decider;
  private final Long restoredWatermark;
  private final Backoff replayBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  /** Set while updates recorded since the watermark are replayed; live updates wait in {@link #heldDuringReplay}. */
  private boolean replaying;
  private final List<StatusUpdate> heldDuringReplay = new ArrayList<>();

  /** @param restoredWatermark the status watermark the store kept, or null on the very first start */
  StatusCatchUp(Vertx vertx, AlertDecider decider, Long restoredWatermark) {
    this.vertx = vertx;
    this.status = StatusClient.onBus(vertx, ASK_TIMEOUT_MS);
    this.decider = decider;
    this.restoredWatermark = restoredWatermark;
  }

  /** Starts catching up; called once the role listens for live updates, so none falls between the two. */
  void start() {
    if (restoredWatermark != null) {
      replaying = true;
      replayAfter(restoredWatermark, 0);
      return;
    }
    status.latest()
      .onSuccess(latest -> {
        latest.updates().forEach(this::onLive);
        LOG.info("Caught up on the newest status of {} subsystems", latest.updates().size());
      })
      .onFailure(failure -> LOG.info("No status role answered ({}); status alerts follow new updates", failure.getMessage()));
  }

  /** A live update: applied at once, or held while a replay runs (it may be one the replay also brings). */
  void onLive(StatusUpdate update) {
    if (decider.stopped()) {
      return;
    }
    if (replaying) {
      heldDuringReplay.add(update);
      return;
    }
    decider.onStatusUpdate(update);
  }

  /** On a tick: the watermark alone is committed, but not in the middle of a replay (it would skip what is still to replay). */
  void advanceWatermark() {
    if (!replaying) {
      decider.commitWatermark();
    }
  }

  private void replayAfter(long after, int replayed) {
    status.since(new StatusSince(after, REPLAY_PAGE))
      .onSuccess(reply -> {
        if (decider.stopped()) {
          return;
        }
        List<StatusUpdate> page = reply.updates();
        long last = after;
        for (StatusUpdate update : page) {
          decider.onReplayedStatus(update);
          last = update.id();
        }
        if (page.size() == REPLAY_PAGE) {
          replayAfter(last, replayed + page.size());
        } else {
          finishReplay(replayed + page.size());
        }
      })
      .onFailure(failure -> {
        // live updates must not wait on a status role that is not there: they flow, and the replay is tried again
        Duration wait = replayBackoff.nextDelay();
        if (replayBackoff.failures() == 1) {
          LOG.warn("No status role answered the replay after update {} ({}); live updates go on, the replay is retried",
            after, failure.getMessage());
        }
        releaseHeld();
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
          if (!decider.stopped()) {
            replaying = true;
            replayAfter(after, replayed);
          }
        });
      });
  }

  private void releaseHeld() {
    replaying = false;
    heldDuringReplay.sort(Comparator.comparingLong(StatusUpdate::id));
    List<StatusUpdate> held = List.copyOf(heldDuringReplay);
    heldDuringReplay.clear();
    held.forEach(this::onLive);
  }

  private void finishReplay(int replayed) {
    LOG.info("Replayed {} status updates recorded after update {}", replayed, restoredWatermark);
    replayBackoff.reset();
    releaseHeld();
  }
}
