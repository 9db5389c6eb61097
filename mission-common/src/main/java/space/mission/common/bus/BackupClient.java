package space.mission.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What the backup role answers over the bus ({@code mission.backup.request}, {@code mission.backup.query}).
 * Replies other than {@link BackupAccepted} are the JSON the API passes on; failures: see {@link BusAsk}.
 */
public interface BackupClient {

  /** Starts a backup (or finds the one running): answers at once, the backup runs on. */
  Future<BackupAccepted> request(BackupRequest request);

  /** The catalog, newest first, with the newest verified backup and its age. */
  Future<JsonObject> catalog();

  /** One backup with its tables; fails with {@link BusFailure#NOT_FOUND} for an unknown id. */
  Future<JsonObject> backup(String id);

  /** A client over {@code vertx}'s event bus, each request waiting at most {@code timeoutMillis}. */
  static BackupClient onBus(Vertx vertx, long timeoutMillis) {
    BusAsk bus = new BusAsk(vertx, timeoutMillis);
    return new BackupClient() {
      @Override
      public Future<BackupAccepted> request(BackupRequest request) {
        return bus.ask(Addresses.BACKUP_REQUEST, request.toJson()).map(BackupAccepted::fromJson);
      }

      @Override
      public Future<JsonObject> catalog() {
        return bus.ask(Addresses.BACKUP_QUERY, BackupQuery.list().toJson());
      }

      @Override
      public Future<JsonObject> backup(String id) {
        return bus.ask(Addresses.BACKUP_QUERY, BackupQuery.get(id).toJson());
      }
    };
  }
}
