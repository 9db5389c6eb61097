package space.mission.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.CatalogEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The backups the cron schedule (UTC) asks for: one timer to the next execution at a time, set anew
 * after each, so a long backup or a paused process never piles up runs. A scheduled time that finds
 * a backup still running is skipped, not queued: the next one comes soon enough.
 */
final class BackupSchedule {

  private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

  private final Vertx vertx;
  private final Clock clock;
  private final Optional<Cron> schedule;
  private final OneBackupAtATime backups;
  private long timer = -1;

  BackupSchedule(Vertx vertx, Clock clock, Optional<Cron> schedule, OneBackupAtATime backups) {
    this.vertx = vertx;
    this.clock = clock;
    this.schedule = schedule;
    this.backups = backups;
  }

  /** Sets the timer for the next scheduled backup; nothing when the schedule is off. */
  void start() {
    if (schedule.isEmpty()) {
      return;
    }
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    ExecutionTime.forCron(schedule.get()).nextExecution(now).ifPresent(next -> {
      long delay = Math.max(1, Duration.between(now, next).toMillis());
      timer = vertx.setTimer(delay, id -> {
        if (backups.running() != null) {
          LOG.warn("Scheduled backup skipped: backup {} is still running", backups.running());
        } else {
          backups.begin(CatalogEntry.SCHEDULE, null, null);
        }
        start();
      });
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
