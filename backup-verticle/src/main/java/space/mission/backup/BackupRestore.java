package space.mission.backup;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import space.mission.backup.catalog.Catalog;
import space.mission.backup.format.Manifest;
import space.mission.backup.restore.Restorer;
import space.mission.backup.store.BackupStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The backup module as seen from outside the backup role: the launcher's {@code restore} command and
 * the backup bench list, read and restore backups through this class alone, so the store's choice,
 * the catalog's query and the restorer's wiring stay the module's own. What it answers is the
 * {@link Manifest} (the backup's description) and, for a refused restore,
 * {@link space.mission.backup.restore.RestoreException}.
 */
public final class BackupRestore implements AutoCloseable {

  /** Rows per INSERT where a restore cannot use LOAD DATA. */
  private static final int BATCH_ROWS = 1000;

  private final BackupStore store;
  private final Restorer restorer;

  /** Opens the store {@code settings} name (S3 in AWS mode, else data/backups); close it when done. */
  public BackupRestore(Vertx vertx, BackupSettings settings) {
    store = BackupStore.open(vertx, settings);
    restorer = new Restorer(vertx, store, BATCH_ROWS);
  }

  /** The ids of the backups in the store (those with a manifest), in lexical (so time) order. */
  public Future<List<String>> backupIds() {
    return store.list("").map(keys -> keys.stream().map(Manifest::backupIdOf).flatMap(Optional::stream).toList());
  }

  /** A backup's manifest, unchecked (for listing); fails naming the place looked in when there is none. */
  public Future<Manifest> manifest(String backupId) {
    return restorer.manifest(backupId);
  }

  /** Where the store is, for messages (s3://bucket/prefix/ or a path). */
  public String location() {
    return store.describe("");
  }

  /** The manifest checksum the catalog reached through {@code catalog} recorded for a finished backup; empty when it has none. */
  public static Future<Optional<String>> manifestChecksum(SqlClient catalog, String backupId) {
    return Catalog.manifestChecksum(catalog, backupId);
  }

  /**
   * Restores {@code backupId} into the database {@code target} is connected to, all or nothing (see
   * {@link Restorer}); {@code manifestSha256} null only when the operator chose to skip that check.
   */
  public Future<Manifest> restore(String backupId, String manifestSha256, SqlConnection target, Path scratchDir, boolean force) {
    return restorer.restore(backupId, manifestSha256, target, scratchDir, force);
  }

  @Override
  public void close() {
    store.close();
  }
}
