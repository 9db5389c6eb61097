package space.mission.backup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.catalog.CatalogEntry;
import space.mission.backup.catalog.RetentionPolicy;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.Verifier;
import space.mission.backup.snapshot.SnapshotWriter;
import space.mission.backup.store.BackupStore;
import space.mission.common.bus.Addresses;
import space.mission.common.bus.BackupEvent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One backup from start to finish: recorded as RUNNING, announced (STARTED), the snapshot written
 * to the store, recorded as SUCCEEDED, verified by a restore into a scratch schema, then the
 * retention policy applied; the outcome carries the SUCCEEDED event (with the verification). Any
 * failure is recorded and its outcome carries a FAILED event with what went wrong.
 */
final class BackupRunner {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRunner.class);

  /**
   * What a finished run leaves for the role's state (the age metric, the API) and the SUCCEEDED or
   * FAILED event, which the role publishes only once it takes requests again: whoever reacts to the
   * event with a new request must get a new backup, and finds retention already applied.
   */
  record Outcome(String id, boolean succeeded, Boolean verified, Instant finishedAt, BackupEvent event) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final BackupStore store;
  private final Catalog catalog;
  private final SnapshotWriter snapshots;
  private final Verifier verifier;
  private final RetentionPolicy retention;
  private final Path scratchRoot;
  private final Clock clock;
  private final String location;

  BackupRunner(Vertx vertx, Pool pool, BackupStore store, Catalog catalog, SnapshotWriter snapshots, Verifier verifier,
               RetentionPolicy retention, Path scratchRoot, Clock clock, String location) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.catalog = catalog;
    this.snapshots = snapshots;
    this.verifier = verifier;
    this.retention = retention;
    this.scratchRoot = scratchRoot;
    this.clock = clock;
    this.location = location;
  }

  Future<Outcome> run(String id, String trigger, String requestedBy, String reason, Consumer<BackupEvent> announceStart) {
    Instant started = clock.instant();
    LOG.info("Backup {} started ({}{})", id, trigger, requestedBy == null ? "" : " by " + requestedBy);
    return catalog.started(id, trigger, requestedBy, reason, started, location)
      .compose(v -> {
        announceStart.accept(BackupEvent.started(id, started));
        return snapshots.write(pool, id);
      })
      .compose(manifest -> {
        String checksum = Manifest.checksum(manifest.toBuffer());
        return catalog.succeeded(id, manifest, checksum).compose(v -> verify(manifest)).compose(verified -> {
          Instant finished = clock.instant();
          LOG.info("Backup {} done in {} ms: {} tables, {} rows, {} bytes in {}{}", id, finished.toEpochMilli() - started.toEpochMilli(),
            manifest.tables().size(), manifest.rows(), manifest.bytes(), location,
            verified == null ? "" : verified ? ", verified" : ", NOT verified");
          BackupEvent succeeded = new BackupEvent(BackupEvent.Type.SUCCEEDED, id, finished, manifest.bytes(), manifest.rows(), checksum, verified, null);
          return applyRetention().map(new Outcome(id, true, verified, finished, succeeded));
        });
      })
      .recover(failure -> {
        Instant finished = clock.instant();
        String error = describe(failure);
        LOG.error("Backup {} failed: {}", id, error);
        return catalog.failed(id, error, finished)
          .onFailure(e -> LOG.warn("Backup {} failed and the catalog could not record it: {}", id, e.getMessage()))
          .transform(ignored -> Future.succeededFuture(new Outcome(id, false, null, finished, BackupEvent.failed(id, finished, error))));
      });
  }

  /** True or false when verification ran, null when it is switched off. */
  private Future<Boolean> verify(Manifest manifest) {
    if (verifier == null) {
      return Future.succeededFuture(null);
    }
    Path scratch = scratchRoot.resolve("verify-" + manifest.backupId());
    return verifier.verify(manifest, scratch)
      .compose(result -> {
        if (!result.ok()) {
          LOG.error("Backup {} did not verify: {}", manifest.backupId(), result.problem());
        }
        return catalog.verified(manifest.backupId(), result.ok(), result.toJson(), clock.instant()).map(result.ok());
      })
      .eventually(() -> vertx.executeBlocking(() -> {
        deleteTree(scratch);
        return null;
      }));
  }

  /** Deletes what the retention policy says has expired: manifests first, so a half-deleted backup is never taken for one. */
  Future<Void> applyRetention() {
    return catalog.all().compose(entries -> {
      List<CatalogEntry> expired = retention.expired(entries, clock.instant());
      Future<Void> chain = Future.succeededFuture();
      List<String> removed = new ArrayList<>();
      for (CatalogEntry entry : expired) {
        if (entry.state() == CatalogEntry.State.SUCCEEDED) {
          chain = chain.compose(v -> store.delete(List.of(Manifest.key(entry.id()))))
            .compose(v -> store.list(entry.id() + "/"))
            .compose(store::delete);
        }
        chain = chain.onSuccess(v -> removed.add(entry.id()));
      }
      return chain.compose(v -> catalog.remove(removed)).onSuccess(v -> {
        if (!removed.isEmpty()) {
          LOG.info("Retention removed {} backups and run records: {}", removed.size(), removed);
        }
      });
    }).recover(failure -> {
      LOG.warn("Applying the retention policy failed ({}); it is tried again after the next backup", failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The message of what actually failed, without the wrappers async code adds around it. */
  static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(path);
      }
    }
  }
}
