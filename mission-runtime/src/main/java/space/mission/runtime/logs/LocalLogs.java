package space.mission.runtime.logs;

import java.nio.file.Path;

/**
 * Where the local log sink writes and the local log tail reads: JSON lines under
 * {@code <data.dir>/logs}, the current file plus rotated ones ({@code resources.1.jsonl} is the
 * newest rotated, higher numbers are older).
 */
public final class LocalLogs {

  public static final String DIRECTORY = "logs";
  public static final String RESOURCES = "resources";

  private LocalLogs() {
  }

  public static Path directory(Path dataDir) {
    return dataDir.resolve(DIRECTORY);
  }

  /** The file being written. */
  public static Path current(Path dataDir, String stream) {
    return directory(dataDir).resolve(stream + ".jsonl");
  }

  /** The {@code n}-th rotated file (1 = the newest). */
  public static Path rotated(Path dataDir, String stream, int n) {
    return directory(dataDir).resolve(stream + "." + n + ".jsonl");
  }
}
