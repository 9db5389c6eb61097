package space.mission.backup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupAccepted;
import space.mission.common.bus.BackupQuery;
import space.mission.common.bus.BackupRequest;
import space.mission.common.bus.BusFailure;

import java.util.function.Function;

/**
 * The backup role's bus side: {@code mission.backup.request} starts a backup (or answers the one
 * already running), {@code mission.backup.query} answers from the catalog. A body that is not a
 * request or a query is answered with BAD_REQUEST, never thrown inside the consumer.
 */
final class BackupRequests {

  private final Vertx vertx;
  private final Catalog catalog;
  private final OneBackupAtATime backups;

  BackupRequests(Vertx vertx, Catalog catalog, OneBackupAtATime backups) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.backups = backups;
  }

  /** Registers both consumers; completes once the cluster knows them. */
  Future<?> register() {
    MessageConsumer<JsonObject> requests = vertx.eventBus().consumer(Addresses.BACKUP_REQUEST, this::onRequest);
    MessageConsumer<JsonObject> queries = vertx.eventBus().consumer(Addresses.BACKUP_QUERY, this::onQuery);
    return Future.all(requests.completion(), queries.completion());
  }

  /** The body as {@code reader} reads it; null once the message has been refused as BAD_REQUEST (never a throw in a consumer). */
  private static <T> T read(Message<JsonObject> message, Function<JsonObject, T> reader, String what) {
    try {
      return reader.apply(message.body());
    } catch (RuntimeException e) {
      message.fail(BusFailure.BAD_REQUEST.code, "not a " + what + ": " + e.getMessage());
      return null;
    }
  }

  private void onRequest(Message<JsonObject> message) {
    BackupRequest request = read(message, BackupRequest::fromJson, "backup request");
    if (request == null) {
      return;
    }
    if (backups.running() != null) {
      message.reply(new BackupAccepted(backups.running(), true).toJson());
      return;
    }
    // answered once the catalog row is committed, so the Location the API hands out can be read at once
    backups.begin(CatalogEntry.REQUEST, request.requestedBy(), request.reason())
      .onSuccess(id -> message.reply(new BackupAccepted(id, false).toJson()))
      .onFailure(failure -> message.fail(BusFailure.UNAVAILABLE.code, "the backup could not start: " + failure.getMessage()));
  }

  private void onQuery(Message<JsonObject> message) {
    BackupQuery query = read(message, BackupQuery::fromJson, "backup query");
    if (query == null) {
      return;
    }
    Future<JsonObject> answer = switch (query.action()) {
      case LIST -> catalog.all().map(entries -> new JsonObject()
        .put("items", new JsonArray(entries.stream().map(CatalogEntry::toJson).toList()))
        .put("running", backups.running())
        .put("newestVerified", backups.newestVerified() == null ? null : new JsonObject()
          .put("finishedAt", backups.newestVerified().toString())
          .put("ageSeconds", backups.newestVerifiedAge().orElseThrow().toSeconds())));
      case GET -> {
        String id = query.id();
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
        message.fail(BusFailure.NOT_FOUND.code, "no backup has id " + query.id());
      } else {
        message.reply(result.result());
      }
    });
  }
}
