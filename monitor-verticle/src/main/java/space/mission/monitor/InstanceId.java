package space.mission.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    Path file = dataDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (existing.matches("[A-Za-z0-9._-]{1,64}")) {
        return existing;
      }
    }
    String id = "m-" + UUID.randomUUID().toString().substring(0, 8);
    Files.createDirectories(dataDir);
    Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
    return id;
  }
}
