package space.mission.runtime.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A value a role makes once and keeps in its data directory (one line of ASCII), so that later starts
 * reuse it: the all-in-one's API token, the monitor's instance id. A file whose content is not a valid
 * value (empty, cut short, edited) is replaced by a new one rather than trusted.
 */
public final class DataDirFile {

  private DataDirFile() {
  }

  /**
   * The value kept in {@code <dataDir>/<name>} when {@code valid} accepts it, else a new one from
   * {@code create}, written there; {@code ownerOnly} makes the file readable by its owner alone (for
   * secrets) where the file system has POSIX permissions.
   */
  public static String loadOrCreate(Path dataDir, String name, Predicate<String> valid, Supplier<String> create, boolean ownerOnly)
    throws IOException {
    Path file = dataDir.resolve(name);
    if (Files.isRegularFile(file)) {
      String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (valid.test(existing)) {
        return existing;
      }
    }
    String value = create.get();
    Files.createDirectories(dataDir);
    Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
    if (ownerOnly) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps the default permissions
      }
    }
    return value;
  }
}
