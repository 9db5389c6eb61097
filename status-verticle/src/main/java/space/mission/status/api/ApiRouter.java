package space.mission.status.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import space.mission.status.StatusServices;
import space.mission.status.rollup.RollupWatchers;
import space.mission.status.stream.StreamGroup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status API's router, built from the OpenAPI document: every route comes from the contract,
 * every request is validated against it before a handler sees it, and every failure leaves as
 * problem+json. Operations are bound to handlers here, all in one table.
 */
public final class ApiRouter {

  private ApiRouter() {
  }

  public static Router create(StatusServices services, RollupWatchers watchers, StreamGroup streams) {
    MissionHandlers missions = new MissionHandlers(services);
    UpdateHandlers updates = new UpdateHandlers(services);
    RollupHandler rollup = new RollupHandler(services, watchers);
    OperationsHandlers operations = new OperationsHandlers(services);
    AlertHandlers alerts = new AlertHandlers(services);
    BackupHandlers backups = new BackupHandlers(services);
    StreamHandler stream = new StreamHandler(streams);
    DatabaseGate gate = new DatabaseGate(services.database());

    Map<String, Handler<RoutingContext>> handlers = new LinkedHashMap<>();
    handlers.put("listMissions", gate.then(missions::list));
    handlers.put("createMission", gate.then(missions::create));
    handlers.put("getMission", gate.then(missions::get));
    handlers.put("updateMission", gate.then(missions::patch));
    handlers.put("recordUpdate", gate.then(updates::record));
    handlers.put("listUpdates", gate.then(updates::list));
    handlers.put("getUpdate", gate.then(updates::get));
    // served from memory: keeps answering through a database outage for missions already loaded
    handlers.put("getRollup", rollup::get);
    // asked of the alert role over the bus
    handlers.put("listAlerts", alerts::list);
    handlers.put("acknowledgeAlert", alerts::acknowledge);
    handlers.put("listSilences", alerts::silences);
    handlers.put("createSilence", alerts::createSilence);
    handlers.put("expireSilence", alerts::expireSilence);
    handlers.put("alertHistory", alerts::history);
    handlers.put("listAlertRules", alerts::rules);
    // asked of the backup role over the bus
    handlers.put("requestBackup", backups::request);
    handlers.put("listBackups", backups::list);
    handlers.put("getBackup", backups::get);
    // fed by the bus, no database needed
    handlers.put("listResources", operations::resources);
    handlers.put("resourceHistory", operations::resourceHistory);
    handlers.put("streamEvents", stream::stream);
    handlers.put("liveness", operations::liveness);
    handlers.put("readiness", operations::readiness);
    handlers.put("metrics", operations::metrics);
    handlers.put("openApiDocument", operations::openApiDocument);

    ContractValidation validation = new ContractValidation(services.vertx(), services.contract());
    RouterBuilder builder = RouterBuilder.create(services.vertx(), services.contract(), RequestExtractor.withBodyHandler());
    builder.rootHandler(new RequestTimeout(services.settings().requestTimeout().toMillis()));
    // the token is checked before the body is read: a caller without one learns nothing else, not even the body limit
    builder.rootHandler(new BearerAuth(services.settings().apiTokens(), services.settings().readsRequireToken()));
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(services.settings().maxBodyBytes()));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.remove(operationId);
      if (handler == null) {
        throw new IllegalStateException("the OpenAPI document has operation " + operationId + " but no handler serves it");
      }
      // security is enforced by BearerAuth before validation, so a refused caller learns nothing about the body
      route.setDoSecurity(false);
      route.setDoValidation(false);
      route.addHandler(validation.handlerFor(route.getOperation()));
      route.addHandler(handler);
    }
    if (!handlers.isEmpty()) {
      throw new IllegalStateException("handlers for operations missing from the OpenAPI document: " + handlers.keySet());
    }

    Router router = builder.createRouter();
    Dashboard.mount(router);
    Problems problems = new Problems(services.database(), services.settings().maxBodyBytes());
    router.route().failureHandler(problems::handle);
    router.errorHandler(404, problems::handle);
    router.errorHandler(405, problems::handle);
    router.errorHandler(413, problems::handle);
    router.errorHandler(500, problems::handle);
    return router;
  }
}
