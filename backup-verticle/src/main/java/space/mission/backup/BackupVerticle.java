package space.mission.backup;

import com.cronutils.model.time.ExecutionTime;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.backup.catalog.RetentionPolicy;
import space.mission.backup.format.CompressedObject;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.Restorer;
import space.mission.backup.restore.Verifier;
import space.mission.backup.snapshot.SnapshotWriter;
import space.mission.backup.store.BackupStore;
import space.mission.backup.store.LocalBackupStore;
import space.mission.backup.store.S3BackupStore;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BackupQuery;
import space.mission.common.bus.BackupRequest;
import space.mission.common.bus.BusFailure;
import space.mission.common.cluster.SingletonLease;
import space.mission.common.config.ConfigReader;
import space.mission.common.db.Databases;
import space.mission.common.db.Migrations;
import space.mission.common.health.MissionHealth;
import space.mission.common.metrics.CloudWatchMetrics;
import space.mission.common.metrics.MissionMetrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Data Backup Service. Backs the mission database up on its cron schedule and on request
 * ({@code mission.backup.request}), one backup at a time; answers {@code mission.backup.query}
 * from the catalog; publishes {@code mission.backup.event}. At start it makes the catalog agree
 * with the store: runs left RUNNING by a stopped process failed, unfinished uploads are aborted,
 * backups in the store the catalog does not know are added.
 */
public final class BackupVerticle extends VerticleBase {

  public static final String ROLE = "backup";

  private static final Logger LOG = LoggerFactory.getLogger(BackupVerticle.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private BackupSettings settings;
  private Pool pool;
  private BackupStore store;
  private Catalog catalog;
  private BackupRunner runner;
  private CloudWatchMetrics cloudWatchMetrics;
  private String running;
  private Future<BackupRunner.Outcome> current = Future.succeededFuture();
  private Instant newestVerified;
  private long scheduleTimer = -1;
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
        store = settings.aws().enabled() ? S3BackupStore.create(vertx, settings)
          : new LocalBackupStore(vertx, settings.dataDir().resolve("backups"));
        catalog = new Catalog(pool, SingletonLease.Fence.fromJson(config().getJsonObject(SingletonLease.FENCE_CONFIG)));
        Restorer restorer = new Restorer(vertx, store, 1000);
        Verifier verifier = settings.verify() ? new Verifier(vertx, restorer, settings.database().url(),
          settings.verifySchema().orElse(settings.database().url().database() + "_verify"), settings.pageRows(), clock) : null;
        SnapshotWriter snapshots = new SnapshotWriter(vertx, store, Set.copyOf(Catalog.OWN_TABLES), settings.pageRows(), settings.partBytes(),
          settings.compressionLevel(), clock);
        runner = new BackupRunner(vertx, pool, store, catalog, snapshots, verifier,
          new RetentionPolicy(settings.keepLast(), settings.keepFor()), settings.dataDir().resolve("scratch"), clock, settings.location());
        return reconcile();
      })
      .compose(v -> settings.aws().enabled()
        ? CloudWatchMetrics.acquire(vertx, CloudWatchMetrics.Settings.from(config)).map(acquired -> {
            cloudWatchMetrics = acquired;
            return null;
          })
        : Future.succeededFuture())
      .compose(v -> {
        MessageConsumer<JsonObject> requests = vertx.eventBus().consumer(Addresses.BACKUP_REQUEST, this::onRequest);
        MessageConsumer<JsonObject> queries = vertx.eventBus().consumer(Addresses.BACKUP_QUERY, this::onQuery);
        healthCheck = MissionHealth.register(vertx, ROLE, "database", deploymentID(), settings.database().connectTimeout().toMillis() + 1500,
          promise -> pool.query("SELECT 1").execute().onComplete(probe -> promise.complete(probe.succeeded() ? Status.OK()
            : Status.KO(new JsonObject().put("error", String.valueOf(probe.cause().getMessage()))))));
        scheduleNext();
        return Future.all(requests.completion(), queries.completion());
      })
      .onSuccess(v -> LOG.info("Backups go to {}; schedule {}; newest verified backup {}", settings.location(),
        settings.schedule().map(cron -> cron.asString() + " (UTC)").orElse("off"),
        newestVerified == null ? "none" : newestVerified + " (" + newestVerifiedAge().orElseThrow().toMinutes() + " min old)"));
  }

  /** Brings the catalog in line with the store after a stop, a crash or a restored database. */
  private Future<Void> reconcile() {
    Instant now = clock.instant();
    return catalog.interrupted(now)
      .onSuccess(count -> {
        if (count > 0) {
          LOG.warn("{} backup runs were interrupted by a stop; they are recorded as failed", count);
        }
      })
      .compose(v -> store.abortUnfinished())
      .onSuccess(count -> {
        if (count > 0) {
          LOG.info("Aborted {} unfinished uploads left by an interrupted backup", count);
        }
      })
      .compose(v -> store.list(""))
      .compose(keys -> {
        Future<Void> chain = Future.succeededFuture();
        for (String key : keys) {
          if (key.endsWith("/" + Manifest.FILE)) {
            chain = chain.compose(x -> store.get(key).compose(content -> {
              Manifest manifest = Manifest.fromJson(new JsonObject(content));
              String checksum = HexFormat.of().formatHex(CompressedObject.newSha256().digest(content.getBytes()));
              return catalog.found(manifest, checksum, settings.location()).onSuccess(added -> {
                if (added) {
                  LOG.info("Backup {} found in {}, added to the catalog (not verified by this catalog)", manifest.backupId(), settings.location());
                }
              }).<Void>mapEmpty();
            }).recover(failure -> {
              LOG.warn("{} cannot be read ({}); it is left alone", store.describe(key), failure.getMessage());
              return Future.succeededFuture();
            }));
          }
        }
        return chain;
      })
      .compose(v -> catalog.all())
      .map(entries -> {
        newestVerified = newestVerified(entries);
        return null;
      });
  }

  private static Instant newestVerified(List<CatalogEntry> entries) {
    return entries.stream().filter(entry -> entry.state() == CatalogEntry.State.SUCCEEDED && Boolean.TRUE.equals(entry.verified()))
      .map(CatalogEntry::finishedAt).max(Instant::compareTo).orElse(null);
  }

  private Optional<Duration> newestVerifiedAge() {
    return Optional.ofNullable(newestVerified).map(at -> Duration.between(at, clock.instant()));
  }

  private void scheduleNext() {
    if (settings.schedule().isEmpty()) {
      return;
    }
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    ExecutionTime.forCron(settings.schedule().get()).nextExecution(now).ifPresent(next -> {
      long delay = Math.max(1, Duration.between(now, next).toMillis());
      scheduleTimer = vertx.setTimer(delay, id -> {
        if (running != null) {
          LOG.warn("Scheduled backup skipped: backup {} is still running", running);
        } else {
          begin(CatalogEntry.SCHEDULE, null, null);
        }
        scheduleNext();
      });
    });
  }

  private void onRequest(Message<JsonObject> message) {
    BackupRequest request;
    try {
      request = BackupRequest.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(BusFailure.BAD_REQUEST.code, "not a backup request: " + e.getMessage());
      return;
    }
    if (running != null) {
      message.reply(new BackupAccepted(running, true).toJson());
      return;
    }
    // answered once the catalog row is committed, so the Location the API hands out can be read at once
    begin(CatalogEntry.REQUEST, request.requestedBy(), request.reason())
      .onSuccess(id -> message.reply(new BackupAccepted(id, false).toJson()))
      .onFailure(failure -> message.fail(BusFailure.UNAVAILABLE.code, "the backup could not start: " + failure.getMessage()));
  }

  /**
   * Starts a backup now (the caller checked none is running); answers its id once the backup is in
   * the catalog, or the failure that kept it from starting.
   */
  private Future<String> begin(String trigger, String requestedBy, String reason) {
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

  private void publish(BackupEvent event) {
    vertx.eventBus().publish(Addresses.BACKUP_EVENT, event.toJson());
  }

  private void onQuery(Message<JsonObject> message) {
    BackupQuery query;
    try {
      query = BackupQuery.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(BusFailure.BAD_REQUEST.code, "not a backup query: " + e.getMessage());
      return;
    }
    Future<JsonObject> answer = switch (query.action()) {
      case LIST -> catalog.all().map(entries -> new JsonObject()
        .put("items", new JsonArray(entries.stream().map(CatalogEntry::toJson).toList()))
        .put("running", running)
        .put("newestVerified", newestVerified == null ? null : new JsonObject()
          .put("finishedAt", newestVerified.toString())
          .put("ageSeconds", newestVerifiedAge().orElseThrow().toSeconds())));
      case GET -> {
        String id = query.arguments().getString("id");
        yield id == null ? Future.failedFuture(new IllegalArgumentException("id is required"))
          : catalog.get(id).map(entry -> entry.map(found -> found.toJson().put("verification", found.verification())).orElse(null));
      }
    };
    answer.onComplete(result -> {
      if (result.failed()) {
        boolean bad = result.cause() instanceof IllegalArgumentException;
        message.fail(bad ? BusFailure.BAD_REQUEST.code : BusFailure.UNAVAILABLE.code,
          bad ? result.cause().getMessage() : "the backup catalog is unavailable: " + result.cause().getMessage());
      } else if (result.result() == null) {
        message.fail(BusFailure.NOT_FOUND.code, "no backup has id " + query.arguments().getString("id"));
      } else {
        message.reply(result.result());
      }
    });
  }

  /** Lets a running backup finish (for up to a minute: it is then recorded as interrupted at the next start). */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(scheduleTimer);
    if (ageGauge != null) {
      // the gauge reads this instance: a later deployment in this Vert.x registers its own
      MissionMetrics.of(vertx).registry().remove(ageGauge);
    }
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    return current.timeout(60, java.util.concurrent.TimeUnit.SECONDS)
      .transform(done -> cloudWatchMetrics == null ? Future.succeededFuture() : cloudWatchMetrics.release())
      .eventually(() -> {
        if (store != null) {
          store.close();
        }
        return pool == null ? Future.succeededFuture() : pool.close();
      });
  }
}
