package space.mission.status;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.AlertClient;
import space.mission.common.bus.AlertEvent;
import space.mission.common.bus.BackupClient;
import space.mission.common.bus.BackupEvent;
import space.mission.common.bus.BusFailure;
import space.mission.common.bus.Mission;
import space.mission.common.bus.ResourceReading;
import space.mission.common.bus.StatusSince;
import space.mission.common.bus.StatusUpdate;
import space.mission.common.bus.StatusUpdates;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.Databases;
import space.mission.runtime.db.Migrations;
import space.mission.runtime.health.MissionHealth;
import space.mission.runtime.http.ConnectionLimits;
import space.mission.runtime.metrics.MissionMetrics;
import space.mission.status.api.ApiVerticle;
import space.mission.status.api.OpenApiDocument;
import space.mission.status.db.DatabaseHealth;
import space.mission.status.db.MissionRepository;
import space.mission.status.db.UpdateRepository;
import space.mission.status.db.UpdateWriter;
import space.mission.status.resources.LatestReadings;
import space.mission.status.rollup.RollupCache;
import space.mission.status.rollup.RollupRenderer;
import space.mission.status.stream.FeedKind;
import space.mission.status.stream.LiveFeed;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Mission Status Service. Starts in order: settings, schema (Flyway, on a worker), the pool,
 * the rollup cache fed by the bus, the group-commit writer, then one HTTP server per configured
 * event loop. The rollup cache and the writer live on this verticle's context; the HTTP event
 * loops reach them through {@link StatusServices}.
 */
public final class StatusVerticle extends VerticleBase {

  public static final String ROLE = "status";

  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();
  /** How long an API request waits for the alert or backup role to answer over the bus, before a 503. */
  private static final long ASK_TIMEOUT_MS = 5_000;

  private final Clock clock;
  private Pool pool;
  private DatabaseHealth database;
  private LatestReadings readings;
  private LiveFeed feed;
  private String healthCheck;
  private long reconcileTimer = -1;
  private volatile int port = -1;
  private volatile List<ApiVerticle> servers = List.of();

  public StatusVerticle() {
    this(Clock.systemUTC());
  }

  /** With a controllable clock, for tests of staleness. */
  public StatusVerticle(Clock clock) {
    this.clock = clock;
  }

  /** The port the API listens on (useful when configured as 0). */
  public int port() {
    return port;
  }

  /** The routes the API answers ("METHOD /path"), as the router was built from the contract. */
  public List<String> routes() {
    return servers.isEmpty() ? List.of() : servers.get(0).routes();
  }

  @Override
  public Future<?> start() {
    StatusSettings settings = StatusSettings.from(new ConfigReader(config()));
    MissionMetrics metrics = MissionMetrics.of(vertx);
    // independent, and the two slowest steps of a start: side by side
    Future<OpenApiDocument> contract = OpenApiDocument.load(vertx);
    return Future.all(Migrations.migrate(vertx, settings.database().url(), ROLE), contract)
      .map(both -> contract.result())
      .compose(document -> {
        pool = Databases.pool(vertx, settings.database(), ROLE);
        database = new DatabaseHealth(vertx, pool, settings.database().probeInterval(), settings.database().connectTimeout(), metrics.registry());
        database.start();
        MissionRepository missions = new MissionRepository(pool);
        UpdateRepository updates = new UpdateRepository(pool);
        RollupCache rollups = new RollupCache(context, missions, updates, metrics.registry());
        UpdateWriter writer = new UpdateWriter(context, updates, settings.maxBatch(), settings.batchDeadline(), clock, metrics.registry(),
          committed -> committed.forEach(update -> {
            rollups.apply(update);
            vertx.eventBus().publish(Addresses.STATUS_UPDATE, update.toJson());
          }));
        AtomicInteger heldPolls = new AtomicInteger();
        Gauge.builder("mission.status.rollups.held", heldPolls, AtomicInteger::get)
          .description("Long-polls of the rollup being held").register(metrics.registry());
        readings = new LatestReadings(clock, settings.resourcesRetention(), settings.resourcesHistory());
        feed = new LiveFeed(context, settings.stream(), updates, metrics.registry());
        StatusServices services = new StatusServices(vertx, settings, clock, document.contract(), document.text(),
          missions, updates, writer, rollups, new RollupRenderer(settings.staleTolerance(), settings.staleLevel()),
          database, readings, feed, metrics, heldPolls,
          // one cap for the role, whichever event loop a connection lands on
          new ConnectionLimits(settings.edge().maxConnections(), settings.edge().maxConnectionsPerClient()),
          AlertClient.onBus(vertx, ASK_TIMEOUT_MS), BackupClient.onBus(vertx, ASK_TIMEOUT_MS));
        healthCheck = MissionHealth.registerDatabase(vertx, ROLE, deploymentID(), settings.database().connectTimeout(), database::probe,
          // a ping can answer while writes cannot commit (a held lock, a hung connection): the writer has its say too
          () -> writer.isHealthy() ? Status.OK()
            : Status.KO(new JsonObject().put("error", "status updates cannot be committed: " + writer.lastProblem())));
        reconcileTimer = vertx.setPeriodic(settings.reconcileInterval().toMillis(), id -> {
          readings.forgetSilentHosts();
          rollups.reconcile().onFailure(failure -> LOG.debug("Rollup reconcile skipped: {}", failure.getMessage()));
        });
        MessageConsumer<JsonObject> latest = vertx.eventBus().consumer(Addresses.STATUS_LATEST, message -> updates.latestEverywhere()
          .onSuccess(found -> message.reply(new StatusUpdates(found).toJson()))
          .onFailure(failure -> message.fail(503, "the status database cannot be read: " + failure.getMessage())));
        MessageConsumer<JsonObject> since = vertx.eventBus().consumer(Addresses.STATUS_SINCE, message -> {
          StatusSince request;
          try {
            request = StatusSince.fromJson(message.body());
          } catch (IllegalArgumentException e) {
            message.fail(BusFailure.BAD_REQUEST.code, e.getMessage());
            return;
          }
          updates.after(request.after(), request.limit())
            .onSuccess(found -> message.reply(new StatusUpdates(found).toJson()))
            .onFailure(failure -> message.fail(503, "the status database cannot be read: " + failure.getMessage()));
        });
        return Future.join(consumers(rollups), latest.completion(), since.completion(), serve(services, settings));
      });
  }

  private Future<?> consumers(RollupCache rollups) {
    MessageConsumer<JsonObject> updates = vertx.eventBus().consumer(Addresses.STATUS_UPDATE, message -> accept(() -> {
      rollups.apply(StatusUpdate.fromJson(message.body()));
      feed.relay(FeedKind.STATUS, message.body());
    }, message.body()));
    MessageConsumer<JsonObject> missions = vertx.eventBus().consumer(Addresses.STATUS_MISSION,
      message -> accept(() -> rollups.apply(Mission.fromJson(message.body())), message.body()));
    MessageConsumer<JsonObject> resources = vertx.eventBus().consumer(Addresses.MONITOR_READING,
      message -> accept(() -> {
        readings.accept(ResourceReading.fromJson(message.body()));
        feed.relay(FeedKind.READING, message.body());
      }, message.body()));
    // alert and backup events are only relayed to the live feed, as they came; parsed first so a malformed one goes no further
    MessageConsumer<JsonObject> alerts = vertx.eventBus().consumer(Addresses.ALERT_EVENT, message -> accept(() -> {
      AlertEvent.fromJson(message.body());
      feed.relay(FeedKind.ALERT, message.body());
    }, message.body()));
    MessageConsumer<JsonObject> backups = vertx.eventBus().consumer(Addresses.BACKUP_EVENT, message -> accept(() -> {
      BackupEvent.fromJson(message.body());
      feed.relay(FeedKind.BACKUP, message.body());
    }, message.body()));
    return Future.all(List.of(updates.completion(), missions.completion(), resources.completion(), alerts.completion(), backups.completion()));
  }

  private static void accept(Runnable apply, JsonObject payload) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring a malformed event ({}): {}", e.getMessage(), payload);
    }
  }

  /**
   * One HTTP server per event loop, sharing the port. Port 0 in the configuration becomes -N for
   * Vert.x: "a random port, shared by every server asking for -N", which plain 0 is not; N is
   * unique per deployment so two status roles in one Vert.x (tests) never share a port.
   */
  private Future<?> serve(StatusServices services, StatusSettings settings) {
    int bindPort = settings.httpPort() == 0 ? -RANDOM_PORT_KEYS.incrementAndGet() : settings.httpPort();
    List<ApiVerticle> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      ApiVerticle server = new ApiVerticle(services, bindPort);
      servers.add(server);
      return server;
    }, new DeploymentOptions().setInstances(settings.httpInstances())).onSuccess(id -> {
      this.servers = servers;
      port = servers.get(0).actualPort();
      LOG.info("Status API listening on http://{}:{} ({} event loops)", settings.httpHost(), port, settings.httpInstances());
    });
  }

  @Override
  public Future<?> stop() {
    if (healthCheck != null) {
      MissionHealth.unregister(vertx, healthCheck);
    }
    if (reconcileTimer >= 0) {
      vertx.cancelTimer(reconcileTimer);
    }
    if (database != null) {
      database.stop();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
