package space.mission.status.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import space.mission.common.bus.BackupRequest;
import space.mission.status.StatusServices;

/**
 * Backups: a request is passed to the backup role (its {@link space.mission.common.bus.BackupClient}
 * over {@code mission.backup.request}: it answers at once with the backup's id; the backup runs on);
 * the catalog is asked of it over {@code mission.backup.query}.
 */
final class BackupHandlers {

  private final StatusServices services;

  BackupHandlers(StatusServices services) {
    this.services = services;
  }

  void request(RoutingContext ctx) {
    JsonObject body = Requests.optionalBody(ctx);
    BackupRequest request = new BackupRequest(body.getString("requestedBy", "api"), body.getString("reason"));
    services.backups().request(request).onSuccess(accepted -> {
      ctx.response().putHeader("Location", "/api/v1/backups/" + accepted.backupId());
      Responses.json(ctx, 202, new JsonObject().put("backupId", accepted.backupId()).put("alreadyRunning", accepted.alreadyRunning()));
    }).onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    services.backups().catalog()
      .onSuccess(catalog -> Responses.json(ctx, 200, catalog.put("nextCursor", null))).onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    services.backups().backup(Requests.path(ctx, "backupId"))
      .onSuccess(backup -> Responses.json(ctx, 200, backup)).onFailure(ctx::fail);
  }
}
