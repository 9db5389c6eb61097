package space.mission.alert.logs;

import io.vertx.core.Future;

/** Follows a source of log lines for log rules, from a persisted checkpoint, so a restart neither misses nor repeats lines. */
public interface LogTail {

  Future<Void> start();

  /** Stops after saving where it got to. */
  Future<Void> stop();
}
