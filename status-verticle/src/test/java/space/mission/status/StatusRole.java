package space.mission.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import space.mission.testkit.FreshDatabase;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A status role for a test class, as a JUnit extension: a Vert.x of its own with the role deployed
 * on it (see {@link StatusHarness}) against the class's {@link FreshDatabase}, both closed after the
 * class. Registered after the database, which must exist first:
 * <pre>{@code
 * @RegisterExtension @Order(1) static FreshDatabase db = new FreshDatabase();
 * @RegisterExtension @Order(2) static StatusRole status = StatusRole.on(db);
 * }</pre>
 */
public final class StatusRole implements BeforeAllCallback, AfterAllCallback {

  private final FreshDatabase db;
  private final Clock clock;
  private final Map<String, String> env;
  private final Supplier<Future<Vertx>> vertxStarter;
  private Vertx vertx;
  private StatusHarness harness;

  private StatusRole(FreshDatabase db, Clock clock, Map<String, String> env, Supplier<Future<Vertx>> vertxStarter) {
    this.db = db;
    this.clock = clock;
    this.env = env;
    this.vertxStarter = vertxStarter;
  }

  /** The role with its defaults, the system clock, on a plain Vert.x. */
  public static StatusRole on(FreshDatabase db) {
    return new StatusRole(db, Clock.systemUTC(), Map.of(), () -> Future.succeededFuture(Vertx.vertx()));
  }

  /** The same, with these {@code MC_*} settings. */
  public StatusRole with(Map<String, String> settings) {
    return new StatusRole(db, clock, settings, vertxStarter);
  }

  public StatusRole with(Clock testClock) {
    return new StatusRole(db, testClock, env, vertxStarter);
  }

  /** The same, on the Vert.x {@code starter} gives (the launcher's, say). */
  public StatusRole onVertx(Supplier<Future<Vertx>> starter) {
    return new StatusRole(db, clock, env, starter);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = vertxStarter.get().await();
    harness = StatusHarness.start(vertx, db.url(), clock, env);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (harness != null) {
        harness.stop();
      }
    } finally {
      if (vertx != null) {
        vertx.close().await();
      }
    }
  }

  public Vertx vertx() {
    return started().vertx;
  }

  public StatusApi api() {
    return started().api;
  }

  public StatusVerticle verticle() {
    return started().verticle;
  }

  private StatusHarness started() {
    if (harness == null) {
      throw new IllegalStateException("StatusRole must be a static @RegisterExtension field, ordered after its FreshDatabase");
    }
    return harness;
  }
}
