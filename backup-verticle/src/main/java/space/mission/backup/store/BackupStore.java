package space.mission.backup.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import space.mission.backup.BackupSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * Where backups are kept: S3 in AWS mode, {@code <data.dir>/backups} locally, with the same layout
 * (one folder per backup, keys {@code <backup id>/<file>}). Every call answers on the caller's context.
 */
public interface BackupStore extends AutoCloseable {

  /**
   * The store {@code settings} name: S3 when AWS is enabled, else {@code <data.dir>/backups}. The one
   * place the choice is made, so the backup role, a restore and the bench always look in the same place.
   */
  static BackupStore open(Vertx vertx, BackupSettings settings) {
    return settings.aws().enabled() ? S3BackupStore.create(vertx, settings)
      : new LocalBackupStore(vertx, settings.dataDir().resolve("backups"));
  }

  /** Starts writing one object; its parts arrive in order and it exists only once {@link ObjectUpload#complete()} succeeds. */
  ObjectUpload upload(String key);

  /** Writes a small object in one go (the manifest). */
  Future<Void> put(String key, Buffer content);

  /** Reads a small object; fails with {@link NoSuchObjectException} when there is none. */
  Future<Buffer> get(String key);

  /** A local file with the object's bytes: the object itself (local store) or a download into {@code scratchDir}. */
  Future<Path> fetch(String key, Path scratchDir);

  /** Every key under {@code prefix} (relative to the store's root), in lexical order. */
  Future<List<String>> list(String prefix);

  Future<Void> delete(List<String> keys);

  /** Ends uploads started and never completed (a crash in the middle of a backup); answers how many there were. */
  Future<Integer> abortUnfinished();

  /** The object's full address, for messages (s3://bucket/prefix/key or a path). */
  String describe(String key);

  @Override
  void close();
}
