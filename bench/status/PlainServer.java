import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The bench's baseline: what vertx-web and vertx-mysql-client do with no product around them, on
 * the same machine at the same minute as the status role. Two event-loop verticles sharing a pool
 * of 8, no validation, no auth: history is one indexed SELECT per request with telemetry decoded and
 * encoded again; recording is one INSERT with its own commit per request.
 *
 * Usage: java -cp CLASSPATH PlainServer PORT mysql://user:password@host:port/schema
 */
public class PlainServer extends VerticleBase {

  static final String HISTORY = "SELECT id, subsystem, level, message, telemetry, reported_at, recorded_at FROM status_updates "
    + "WHERE mission_id = ? ORDER BY id DESC LIMIT 50";
  static final String RECORD = "INSERT INTO status_updates (mission_id, subsystem, level, message, telemetry, recorded_at) "
    + "VALUES (?, ?, ?, ?, ?, NOW(6))";

  private final Pool pool;
  private final int port;

  PlainServer(Pool pool, int port) {
    this.pool = pool;
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(8))
      .connectingTo(MySQLConnectOptions.fromUri(args[1]).setCachePreparedStatements(true)).using(vertx).build();
    vertx.deployVerticle(() -> new PlainServer(pool, port), new DeploymentOptions().setInstances(2))
      .onSuccess(id -> System.out.println("plain server on 127.0.0.1:" + port))
      .onFailure(failure -> {
        failure.printStackTrace();
        System.exit(1);
      });
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/api/v1/missions/:id/updates").handler(this::history);
    router.post("/api/v1/missions/:id/updates").handler(BodyHandler.create()).handler(this::record);
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  private void history(RoutingContext ctx) {
    pool.preparedQuery(HISTORY).execute(Tuple.of(ctx.pathParam("id"))).onSuccess(rows -> {
      JsonArray items = new JsonArray();
      for (Row row : rows) {
        String telemetry = row.getString("telemetry");
        items.add(new JsonObject().put("id", row.getLong("id")).put("subsystem", row.getString("subsystem"))
          .put("level", row.getString("level")).put("message", row.getString("message"))
          .put("telemetry", telemetry == null ? null : new JsonObject(telemetry))
          .put("reportedAt", String.valueOf(row.getLocalDateTime("reported_at")))
          .put("recordedAt", row.getLocalDateTime("recorded_at").toString()));
      }
      ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("items", items).putNull("nextCursor").encode());
    }).onFailure(ctx::fail);
  }

  private void record(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    JsonObject telemetry = body.getJsonObject("telemetry");
    pool.preparedQuery(RECORD).execute(Tuple.of(ctx.pathParam("id"), body.getString("subsystem"), body.getString("level"),
        body.getString("message"), telemetry == null ? null : telemetry.encode()))
      .onSuccess(rows -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(body.copy().put("id", rows.property(MySQLClient.LAST_INSERTED_ID)).encode()))
      .onFailure(ctx::fail);
  }
}
