package space.mission.backup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.catalog.RetentionPolicy;
import space.mission.backup.restore.Restorer;
import space.mission.backup.restore.Verifier;
import space.mission.backup.snapshot.SnapshotWriter;
import space.mission.backup.store.BackupStore;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.Databases;
import space.mission.runtime.db.Migrations;
import space.mission.runtime.health.MissionHealth;
import space.mission.runtime.metrics.CloudWatchMetrics;
import space.mission.runtime.metrics.MissionMetrics;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The Data Backup Service, wired: backs the mission database up on its cron schedule
 * ({@link BackupSchedule}) and on request ({@code mission.backup.request}, {@link BackupRequests}),
 * one backup at a time ({@link OneBackupAtATime}); answers {@code mission.backup.query} from the
 * catalog; publishes {@code mission.backup.event}. At start it makes the catalog agree with the store
 * ({@link CatalogReconcile}) before it takes a request.
 */
public final class BackupVerticle extends VerticleBase {

  public static final String ROLE = "backup";

  private static final Logger LOG = LoggerFactory.getLogger(BackupVerticle.class);

  private final Clock clock;
  private BackupSettings settings;
  private Pool pool;
  private BackupStore store;
  private Catalog catalog;
  private OneBackupAtATime backups;
  private BackupSchedule schedule;
  private CloudWatchMetrics cloudWatchMetrics;
  private String healthCheck;
  private Gauge ageGauge;

  public BackupVerticle() {
    this(Clock.systemUTC());
  }

  /** With a controllable clock, for tests of retention and ages. */
  public BackupVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ConfigReader config = new ConfigReader(config());
    settings = BackupSettings.from(config);
    MeterRegistry registry = MissionMetrics.of(vertx).registry();
    ageGauge = Gauge.builder("mission.backup.newest.verified.age", this, verticle -> verticle.newestVerifiedAge().map(age -> (double) age.toSeconds())
        .orElse(Double.NaN))
      .baseUnit("seconds").description("Age of the newest verified backup (the recovery point)").register(registry);
    return Migrations.migrate(vertx, settings.database().url(), ROLE)
      .compose(migrated -> {
        pool = Databases.pool(vertx, settings.database(), ROLE);
        store = BackupStore.open(vertx, settings);
        catalog = new Catalog(pool, SingletonLease.Fence.fromJson(config().getJsonObject(SingletonLease.FENCE_CONFIG)));
        Restorer restorer = new Restorer(vertx, store, 1000);
        Verifier verifier = settings.verify() ? new Verifier(vertx, restorer, settings.database().url(),
          settings.verifySchema().orElse(settings.database().url().database() + "_verify"), settings.pageRows(), clock) : null;
        SnapshotWriter snapshots = new SnapshotWriter(vertx, store, Set.copyOf(Catalog.OWN_TABLES), settings.pageRows(), settings.partBytes(),
          settings.compressionLevel(), clock);
        BackupRunner runner = new BackupRunner(vertx, pool, store, catalog, snapshots, verifier,
          new RetentionPolicy(settings.keepLast(), settings.keepFor()), settings.dataDir().resolve("scratch"), clock, settings.location());
        backups = new OneBackupAtATime(vertx, runner, clock);
        return new CatalogReconcile(catalog, store, settings.location(), clock).run().map(entries -> {
          backups.recoveryPointFrom(entries);
          return null;
        });
      })
      .compose(v -> settings.aws().enabled()
        ? CloudWatchMetrics.acquire(vertx, CloudWatchMetrics.Settings.from(config)).map(acquired -> {
            cloudWatchMetrics = acquired;
            return null;
          })
        : Future.succeededFuture())
      .compose(v -> {
        Future<?> consumers = new BackupRequests(vertx, catalog, backups).register();
        healthCheck = MissionHealth.registerDatabase(vertx, ROLE, deploymentID(), settings.database().connectTimeout(),
          () -> pool.query("SELECT 1").execute());
        schedule = new BackupSchedule(vertx, clock, settings.schedule(), backups);
        schedule.start();
        return consumers;
      })
      .onSuccess(v -> LOG.info("Backups go to {}; schedule {}; newest verified backup {}", settings.location(),
        settings.schedule().map(cron -> cron.asString() + " (UTC)").orElse("off"),
        backups.newestVerified() == null ? "none" : backups.newestVerified() + " (" + newestVerifiedAge().orElseThrow().toMinutes() + " min old)"));
  }

  private Optional<Duration> newestVerifiedAge() {
    // the gauge is registered before the backups exist: until then there is no recovery point
    return backups == null ? Optional.empty() : backups.newestVerifiedAge();
  }

  /** Lets a running backup finish (for up to a minute: it is then recorded as interrupted at the next start). */
  @Override
  public Future<?> stop() {
    if (schedule != null) {
      schedule.stop();
    }
    if (ageGauge != null) {
      // the gauge reads this instance: a later deployment in this Vert.x registers its own
      MissionMetrics.of(vertx).registry().remove(ageGauge);
    }
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    Future<?> ended = backups == null ? Future.succeededFuture() : backups.ended(60);
    return ended
      .transform(done -> cloudWatchMetrics == null ? Future.succeededFuture() : cloudWatchMetrics.release())
      .eventually(() -> {
        if (store != null) {
          store.close();
        }
        return pool == null ? Future.succeededFuture() : pool.close();
      });
  }
}
