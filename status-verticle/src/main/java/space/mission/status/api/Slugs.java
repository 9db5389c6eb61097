package space.mission.status.api;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/** Mission ids made from names: "Voyager 3 — Proxima" becomes "voyager-3-proxima". */
final class Slugs {

  static final int MAX_LENGTH = 64;

  private Slugs() {
  }

  static String fromName(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > MAX_LENGTH - 4) {
      // leave room for a "-NNN" suffix when the name is taken
      slug = slug.substring(0, MAX_LENGTH - 4).replaceAll("-+$", "");
    }
    return slug.isEmpty() ? "mission" : slug;
  }

  /** {@code base}, or the first of base-2, base-3, ... that is not in {@code taken}. */
  static String firstFree(String base, Set<String> taken) {
    if (!taken.contains(base)) {
      return base;
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + n;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }
}
