package space.mission.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * What to do when a real part a test needs is not there. By default the test is skipped with a
 * message naming the part; with {@code MC_REQUIRE_ALL_INFRA=true} (set by {@code .ci/run}) it fails,
 * so CI can never go green by skipping.
 */
public final class Infra {

  public static final String REQUIRE_ALL_ENV = "MC_REQUIRE_ALL_INFRA";

  private Infra() {
  }

  public static boolean requireAll() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRE_ALL_ENV));
  }

  /**
   * Skips the current test because an optional extra is missing: a second run of behaviour that a
   * required part already covers (the LocalStack variants of the stand-in tests, which need Docker).
   * Never a failure, even with {@code MC_REQUIRE_ALL_INFRA=true}.
   */
  public static void optionalMissing(String part, String why) {
    Assumptions.abort("optional test infrastructure missing: " + part + " (" + why + "); the required parts cover this behaviour");
  }

  /** Skips (or, when every part is required, fails) the current test because {@code part} is missing. */
  public static void missing(String part, String why) {
    String message = "missing test infrastructure: " + part + " (" + why + ")";
    if (requireAll()) {
      throw new AssertionError(message + "; " + REQUIRE_ALL_ENV + "=true, so this fails instead of skipping");
    }
    Assumptions.abort(message);
  }
}
