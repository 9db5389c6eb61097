package space.mission.monitor;

import space.mission.runtime.files.DataDirFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The monitor's instance id when none is configured: made once, kept in the data directory, so a
 * restarted monitor writes to the same log stream and finds its own spool.
 */
final class InstanceId {

  static final String FILE = "monitor-instance";

  private InstanceId() {
  }

  static String loadOrCreate(Path dataDir) throws IOException {
    // the id names a log stream and a spool directory: only characters both accept
    return DataDirFile.loadOrCreate(dataDir, FILE, existing -> existing.matches("[A-Za-z0-9._-]{1,64}"),
      () -> "m-" + UUID.randomUUID().toString().substring(0, 8), false);
  }
}
