package space.mission.backup.store;

import io.vertx.core.Future;

/** One object being written in parts. Parts are written one after the other, never two at once. */
public interface ObjectUpload {

  /** Appends a part: at least {@link space.mission.backup.BackupSettings#MIN_PART_BYTES} unless it is the last. */
  Future<Void> write(byte[] part);

  /** Makes the object exist with every part written. */
  Future<Void> complete();

  /** Drops what was written; the object never exists. Safe to call at any point, and more than once. */
  Future<Void> abort();
}
