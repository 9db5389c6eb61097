package space.mission.status.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import space.mission.status.StatusServices;
import space.mission.status.rollup.MissionRollup;
import space.mission.status.rollup.RollupRenderer;
import space.mission.status.rollup.RollupWatchers;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The status rollup: served from memory, with ETag / If-None-Match and long-polling. A held
 * request is answered as soon as its mission's rollup changes (an update or a mission change on
 * any instance, delivered by the cache), when a subsystem turns stale, or when its wait is over.
 */
final class RollupHandler {

  private static final CharSequence ETAG = HttpHeaders.createOptimized("ETag");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

  private final StatusServices services;
  private final RollupRenderer renderer;
  private final RollupWatchers watchers;
  private final Vertx vertx;

  RollupHandler(StatusServices services, RollupWatchers watchers) {
    this.services = services;
    this.renderer = services.renderer();
    this.watchers = watchers;
    this.vertx = services.vertx();
  }

  void get(RoutingContext ctx) {
    String missionId = Requests.path(ctx, "missionId");
    MissionRollup cached = services.rollups().peek(missionId);
    if (cached != null) {
      answer(ctx, missionId, cached);
      return;
    }
    services.rollups().get(missionId)
      .onSuccess(found -> {
        if (found.isEmpty()) {
          ctx.fail(MissionHandlers.missing(missionId));
        } else {
          answer(ctx, missionId, found.get());
        }
      })
      .onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, String missionId, MissionRollup rollup) {
    Instant now = services.clock().instant();
    RollupRenderer.View view = renderer.view(rollup, now);
    String ifNoneMatch = Requests.header(ctx, "If-None-Match");
    Integer wait = Requests.queryInt(ctx, "wait");
    boolean unchanged = ifNoneMatch != null && matches(ifNoneMatch, view.etag());
    if (wait == null || wait == 0 || (ifNoneMatch != null && !unchanged)) {
      respond(ctx, rollup, view, now, unchanged);
      return;
    }
    hold(ctx, missionId, unchanged ? view.etag() : null, rollup, Duration.ofSeconds(wait));
  }

  /**
   * Holds the request. With an ETag it waits for the ETag to change; without one, for the next
   * change of any kind. When the wait is over it answers what it has (304 if the ETag still matches).
   */
  private void hold(RoutingContext ctx, String missionId, String etag, MissionRollup seen, Duration wait) {
    Held held = new Held(ctx, missionId, etag, seen);
    if (!watchers.add(missionId, held)) {
      ctx.fail(new ApiException(503, "too-many-waiters", "Too many long-polls",
        "this instance is holding as many long-polls as it may; retry shortly or poll without wait", null, Map.of("Retry-After", "1")));
      return;
    }
    held.deadline = vertx.setTimer(wait.toMillis(), id -> held.finish(true));
    held.armStaleTimer();
    ctx.response().closeHandler(v -> held.cancel());
  }

  private void respond(RoutingContext ctx, MissionRollup rollup, RollupRenderer.View view, Instant now, boolean notModified) {
    HttpServerResponse response = ctx.response().putHeader(ETAG, view.etag()).putHeader(CACHE_CONTROL, NO_CACHE);
    if (notModified) {
      response.setStatusCode(304).end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, Responses.APPLICATION_JSON).end(renderer.body(rollup, view, now));
    }
  }

  /** If-None-Match may list several ETags or be "*"; weak comparison, as RFC 9110 asks for If-None-Match. */
  static boolean matches(String ifNoneMatch, String etag) {
    String wanted = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || opaque(tag).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String etag) {
    return etag.startsWith("W/") ? etag.substring(2) : etag;
  }

  /** One held long-poll. Lives on this event loop only. */
  private final class Held implements RollupWatchers.Watcher {
    final RoutingContext ctx;
    final String missionId;
    final String etag;
    final MissionRollup seen;
    long deadline = -1;
    long staleTimer = -1;
    boolean done;

    Held(RoutingContext ctx, String missionId, String etag, MissionRollup seen) {
      this.ctx = ctx;
      this.missionId = missionId;
      this.etag = etag;
      this.seen = seen;
    }

    @Override
    public void recheck() {
      MissionRollup now = services.rollups().peek(missionId);
      if (now == null || done) {
        return;
      }
      if (etag == null ? now != seen : !renderer.view(now, services.clock().instant()).etag().equals(etag)) {
        finish(false);
      } else {
        armStaleTimer();
      }
    }

    /** A subsystem turning stale changes the ETag with no event: look again at that moment. */
    void armStaleTimer() {
      if (etag == null) {
        return;
      }
      MissionRollup current = services.rollups().peek(missionId);
      Instant now = services.clock().instant();
      Instant next = current == null ? null : renderer.view(current, now).nextStaleAt();
      if (staleTimer >= 0) {
        vertx.cancelTimer(staleTimer);
        staleTimer = -1;
      }
      if (next != null) {
        long delay = Math.max(1, Duration.between(now, next).toMillis() + 1);
        staleTimer = vertx.setTimer(delay, id -> {
          staleTimer = -1;
          recheck();
        });
      }
    }

    void finish(boolean timedOut) {
      if (done) {
        return;
      }
      cancel();
      MissionRollup current = services.rollups().peek(missionId);
      MissionRollup rollup = current == null ? seen : current;
      Instant now = services.clock().instant();
      RollupRenderer.View view = renderer.view(rollup, now);
      respond(ctx, rollup, view, now, timedOut && etag != null && view.etag().equals(etag));
    }

    void cancel() {
      if (done) {
        return;
      }
      done = true;
      watchers.remove(missionId, this);
      vertx.cancelTimer(deadline);
      if (staleTimer >= 0) {
        vertx.cancelTimer(staleTimer);
      }
    }
  }
}
