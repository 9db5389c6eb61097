package space.mission.status;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.openapi.contract.OpenAPIContract;
import space.mission.common.bus.AlertClient;
import space.mission.common.bus.BackupClient;
import space.mission.runtime.http.ConnectionLimits;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.status.db.DatabaseHealth;
import space.mission.status.db.MissionRepository;
import space.mission.status.db.UpdateRepository;
import space.mission.status.db.UpdateWriter;
import space.mission.status.rollup.RollupCache;
import space.mission.status.resources.LatestReadings;
import space.mission.status.rollup.RollupRenderer;
import space.mission.status.stream.LiveFeed;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the status role's HTTP event loops share: built once by {@link StatusVerticle}, every
 * member safe to use from any event loop.
 */
public record StatusServices(
  Vertx vertx,
  StatusSettings settings,
  Clock clock,
  OpenAPIContract contract,
  Buffer openApiDocument,
  MissionRepository missions,
  UpdateRepository updates,
  UpdateWriter writer,
  RollupCache rollups,
  RollupRenderer renderer,
  DatabaseHealth database,
  LatestReadings readings,
  LiveFeed feed,
  MissionMetrics metrics,
  AtomicInteger heldPolls,
  ConnectionLimits connections,
  AlertClient alerts,
  BackupClient backups) {
}
