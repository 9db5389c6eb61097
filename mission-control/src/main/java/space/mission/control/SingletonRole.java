package space.mission.control;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.runtime.cluster.SingletonLease;
import space.mission.common.config.ConfigReader;
import space.mission.runtime.db.DatabaseSettings;
import space.mission.runtime.db.Databases;
import space.mission.runtime.metrics.MissionMetrics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * Runs a role that must be active on one instance only (alert, backup): it holds the role's lease
 * in the database while the role is deployed, and stands by otherwise, trying again every renewal
 * period. It steps down (undeploys the role) only when the database says another instance holds
 * the lease; while the database cannot be reached it keeps the role running, since no rival can
 * take a lease from a database it cannot reach either, and the role rides out the outage as it was
 * built to.
 */
final class SingletonRole extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonRole.class);

  private final Role role;
  private Pool pool;
  private SingletonLease lease;
  private long timer = -1;
  private String deployment;
  private long deployedGeneration = -1;
  private boolean busy;
  private boolean stopping;
  private boolean announcedStandby;
  private boolean announcedMinority;
  /** The role's deployment while it starts (renewals do not wait for it); null otherwise. */
  private Future<String> starting;
  /** The role's first deployment, which the launch waits for. */
  private Future<String> firstStart;
  private int minMembers;

  SingletonRole(Role role) {
    this.role = role;
  }

  @Override
  public Future<?> start() {
    ConfigReader reader = new ConfigReader(config());
    Duration ttl = reader.duration("cluster.lease.ttl", Duration.ofSeconds(2), Duration.ofMinutes(5));
    Duration renewEvery = reader.duration("cluster.lease.renewEvery", Duration.ofMillis(100), ttl.dividedBy(2));
    DatabaseSettings database = DatabaseSettings.from(reader);
    pool = Databases.pool(vertx, new DatabaseSettings(database.url(), 1, database.connectTimeout(), database.probeInterval()),
      role.id + "-lease");
    lease = new SingletonLease(pool, "role:" + role.id, holderId(), ttl);
    minMembers = reader.integer("cluster.minMembers", 1, 1000);
    // which instance is active, for an operator and for the drill that stops the active one (ops/stop-active.sh)
    Gauge.builder("mission.singleton.active", this, runner -> runner.deployment != null ? 1 : 0)
      .description("1 while this instance runs the role as its lease holder, 0 while it stands by")
      .tag("role", role.id).register(MissionMetrics.of(vertx).registry());
    // renewals run from the first tick on; a role that cannot start the first time still fails the launch,
    // as it would without a lease
    return tick()
      .onSuccess(ignored -> timer = vertx.setPeriodic(renewEvery.toMillis(), id -> tick()))
      .compose(ignored -> firstStart == null ? Future.succeededFuture() : firstStart);
  }

  private Future<Void> tick() {
    if (busy || stopping) {
      return Future.succeededFuture();
    }
    busy = true;
    int seen = membersSeen();
    Future<Void> step = seen < minMembers ? outnumbered(seen) : lease.hold().compose(this::act, this::unreachable);
    return step.onComplete(ignored -> busy = false);
  }

  /** How many cluster members this one sees, itself included; 1 when not clustered. */
  private int membersSeen() {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    return cluster == null ? 1 : cluster.getNodes().size();
  }

  /**
   * The lease lives in the database, which a member cut off from the rest of the cluster can still
   * reach, but such a member hears none of what the others publish (status updates, readings). So
   * a member that sees fewer than {@code cluster.minMembers} members (a majority of those that run
   * the role) neither takes the lease nor keeps it: it steps down and releases it for the side that
   * can hear.
   */
  private Future<Void> outnumbered(int seen) {
    if (!announcedMinority) {
      announcedMinority = true;
      LOG.warn("{} role: this member sees {} cluster members, fewer than cluster.minMembers = {}; it may be cut off, so it {}",
        role.id, seen, minMembers, deployment != null ? "steps down and releases the lease" : "does not take the lease");
    }
    announcedStandby = false;
    if (deployment == null) {
      return Future.succeededFuture();
    }
    return undeploy().compose(ignored -> lease.release().otherwiseEmpty()).mapEmpty();
  }

  private Future<Void> act(boolean held) {
    announcedMinority = false;
    if (starting != null) {
      // renewals go on while the role starts: its start may wait on the cluster (a frozen member owns
      // part of the bus's registry) far longer than the lease lasts
      return Future.succeededFuture();
    }
    if (held && deployment == null) {
      LOG.info("{} role active here ({}): this instance holds its lease", role.id, lease.holder());
      announcedStandby = false;
      SingletonLease.Fence fence = lease.fence();
      // the role checks this fence in every transaction that makes an effect, so it cannot act after a takeover
      starting = vertx.deployVerticle(role.verticle.get(), new DeploymentOptions()
          .setConfig(config().copy().put(SingletonLease.FENCE_CONFIG, fence.toJson())));
      if (firstStart == null) {
        firstStart = starting;
      }
      starting
        .onComplete(done -> starting = null)
        .onSuccess(id -> {
          deployment = id;
          deployedGeneration = fence.generation();
          if (stopping) {
            undeploy();
          }
        })
        .onFailure(e -> {
          LOG.error("{} role failed to start: {}; giving its lease up", role.id, e.getMessage());
          lease.release();
        });
      return Future.succeededFuture();
    }
    if (held && deployment != null && deployedGeneration != lease.generation()) {
      // the lease lapsed or was taken over, and is held again (a pause): the running role's fence is stale and it has stopped acting
      LOG.warn("{} role: the lease lapsed and is held again in a new generation ({} -> {}); restarting the role", role.id,
        deployedGeneration, lease.generation());
      return undeploy().compose(ignored -> act(true));
    }
    if (!held && deployment != null) {
      return lease.currentHolder().compose(holder -> {
        LOG.warn("{} role stepping down: its lease is held by {}", role.id, holder);
        return undeploy();
      }, e -> undeploy());
    }
    if (!held && !announcedStandby) {
      announcedStandby = true;
      return lease.currentHolder()
        .onSuccess(holder -> LOG.info("{} role standing by: its lease is held by {}", role.id, holder))
        .<Void>mapEmpty()
        .otherwiseEmpty();
    }
    return Future.succeededFuture();
  }

  private Future<Void> unreachable(Throwable e) {
    LOG.warn("{} role: cannot reach the database to hold its lease ({}); {}", role.id, e.getMessage(),
      deployment != null ? "staying active" : "standing by");
    return Future.succeededFuture();
  }

  private Future<Void> undeploy() {
    String id = deployment;
    deployment = null;
    return id == null ? Future.succeededFuture() : vertx.undeploy(id).otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    boolean wasActive = deployment != null;
    return undeploy()
      .compose(ignored -> wasActive ? lease.release().otherwiseEmpty() : Future.succeededFuture())
      .eventually(() -> pool.close());
  }

  /** pid@host (read by the JVM at start, no lookup) and a random part, so a restarted process is a new holder. */
  private static String holderId() {
    return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }
}
