package space.mission.control;

import space.mission.runtime.files.DataDirFile;

import java.io.IOException;
import java.nio.file.Path;
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
    // shorter than 16 characters is not a token this class wrote: replaced rather than trusted
    return DataDirFile.loadOrCreate(dataDir, FILE, existing -> existing.length() >= 16, ApiToken::generate, true);
  }

  private static String generate() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
