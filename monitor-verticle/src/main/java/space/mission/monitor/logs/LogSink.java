package space.mission.monitor.logs;

import io.vertx.core.Future;
import space.mission.common.bus.ResourceReading;
import space.mission.runtime.spool.Gap;

/** Where the monitor's log lines go: one JSON line per reading, plus an explicit record for every gap. */
public interface LogSink {

  Future<Void> start();

  /** Queues the reading's line; lines keep the order of the calls. */
  void write(ResourceReading reading);

  /** Queues a gap record (data that was dropped and will never arrive). */
  void write(Gap gap);

  Future<Void> stop();
}
