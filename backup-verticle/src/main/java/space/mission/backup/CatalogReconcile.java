package space.mission.backup;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.backup.format.Manifest;
import space.mission.backup.store.BackupStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Brings the catalog in line with the store after a stop, a crash or a restored database: runs left
 * RUNNING by a stopped process are recorded as failed, unfinished uploads are aborted, and backups in
 * the store the catalog does not know are added (as not verified by this catalog). A manifest that
 * cannot be read is logged and left alone, so one bad object never keeps the role from starting.
 */
final class CatalogReconcile {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogReconcile.class);

  private final Catalog catalog;
  private final BackupStore store;
  private final String location;
  private final Clock clock;

  CatalogReconcile(Catalog catalog, BackupStore store, String location, Clock clock) {
    this.catalog = catalog;
    this.store = store;
    this.location = location;
    this.clock = clock;
  }

  /** Answers the whole catalog once it agrees with the store. */
  Future<List<CatalogEntry>> run() {
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
          if (Manifest.backupIdOf(key).isPresent()) {
            chain = chain.compose(x -> addIfUnknown(key));
          }
        }
        return chain;
      })
      .compose(v -> catalog.all());
  }

  private Future<Void> addIfUnknown(String manifestKey) {
    return store.get(manifestKey).compose(content -> {
      Manifest manifest = Manifest.fromJson(new JsonObject(content));
      return catalog.found(manifest, Manifest.checksum(content), location).onSuccess(added -> {
        if (added) {
          LOG.info("Backup {} found in {}, added to the catalog (not verified by this catalog)", manifest.backupId(), location);
        }
      }).<Void>mapEmpty();
    }).recover(failure -> {
      LOG.warn("{} cannot be read ({}); it is left alone", store.describe(manifestKey), failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
