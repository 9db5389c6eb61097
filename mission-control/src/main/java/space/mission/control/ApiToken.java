package space.mission.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The all-in-one run's write token when the operator configured none: generated once (256 random
 * bits), kept in {@code <data.dir>/api-token} readable by the owner only, and reused on later starts.
 */
final class ApiToken {

  static final String FILE = "api-token";

  private ApiToken() {
  }

  static String loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (existing.length() >= 16) {
        return existing;
      }
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(dataDir);
    Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the default permissions
    }
    return token;
  }
}
