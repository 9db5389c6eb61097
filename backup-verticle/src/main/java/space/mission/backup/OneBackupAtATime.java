package space.mission.backup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one backup the role runs at a time, whoever asked for it (the schedule or a request): it names
 * the backup, runs it, publishes its events on {@code mission.backup.event}, and keeps what the rest
 * of the role asks about: which backup is running, and when the newest verified backup finished (the
 * recovery point the age gauge and the catalog listing report). Event-loop state, no locks: every
 * caller is on the role's context.
 */
final class OneBackupAtATime {

  private static final Logger LOG = LoggerFactory.getLogger(OneBackupAtATime.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final BackupRunner runner;
  private final Clock clock;
  private String running;
  private Future<BackupRunner.Outcome> current = Future.succeededFuture();
  private Instant newestVerified;

  OneBackupAtATime(Vertx vertx, BackupRunner runner, Clock clock) {
    this.vertx = vertx;
    this.runner = runner;
    this.clock = clock;
  }

  /** The id of the backup running now, or null. */
  String running() {
    return running;
  }

  /** When the newest verified backup finished, or null when there is none. */
  Instant newestVerified() {
    return newestVerified;
  }

  Optional<Duration> newestVerifiedAge() {
    return Optional.ofNullable(newestVerified).map(at -> Duration.between(at, clock.instant()));
  }

  /** Takes the newest verified backup from the catalog (at start, after the reconcile). */
  void recoveryPointFrom(List<CatalogEntry> entries) {
    newestVerified = entries.stream().filter(entry -> entry.state() == CatalogEntry.State.SUCCEEDED && Boolean.TRUE.equals(entry.verified()))
      .map(CatalogEntry::finishedAt).max(Instant::compareTo).orElse(null);
  }

  /**
   * Starts a backup now (the caller checked none is running); answers its id once the backup is in
   * the catalog, or the failure that kept it from starting.
   */
  Future<String> begin(String trigger, String requestedBy, String reason) {
    String id = ID_TIME.format(clock.instant()) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    running = id;
    Promise<String> cataloged = Promise.promise();
    current = runner.run(id, trigger, requestedBy, reason, event -> {
        if (event.type() == BackupEvent.Type.STARTED) {
          cataloged.tryComplete(id);
        }
        publish(event);
      })
      .onSuccess(outcome -> {
        cataloged.tryFail(outcome.event() == null || outcome.event().error() == null ? "it ended before it started"
          : outcome.event().error());
        running = null;
        if (Boolean.TRUE.equals(outcome.verified())) {
          newestVerified = outcome.finishedAt();
        }
        publish(outcome.event());
      })
      .onFailure(unexpected -> {
        cataloged.tryFail(unexpected);
        running = null;
        LOG.error("Backup {} ended without an outcome", id, unexpected);
      });
    return cataloged.future();
  }

  /** Completes when the running backup (if any) has ended, or after {@code seconds}: a stop waits for it that long. */
  Future<?> ended(long seconds) {
    return current.timeout(seconds, TimeUnit.SECONDS);
  }

  private void publish(BackupEvent event) {
    vertx.eventBus().publish(Addresses.BACKUP_EVENT, event.toJson());
  }
}
