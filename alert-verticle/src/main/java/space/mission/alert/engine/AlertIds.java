package space.mission.alert.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identities the engine gives: an alert's fingerprint (its rule and labels) and a
 * notification's deduplication id. Both are digests of what was decided only, so the same decision
 * made again (after a crash, or by the instance that took over) gets the same ids.
 */
final class AlertIds {

  private AlertIds() {
  }

  static String fingerprint(String rule, Map<String, String> labels) {
    StringBuilder text = new StringBuilder(rule);
    new TreeMap<>(labels).forEach((key, value) -> text.append('\n').append(key).append('=').append(value));
    return digest(text.toString()).substring(0, 16);
  }

  /**
   * A deduplication id that the same decision always gets: one alert's episode (fingerprint and
   * start), or for a group, a digest of its members' episodes.
   */
  static String dedupId(List<Alert> members, String suffix) {
    if (members.size() == 1) {
      Alert alert = members.get(0);
      return alert.fingerprint + ":" + alert.startsAt.toEpochMilli() + suffix;
    }
    StringBuilder all = new StringBuilder();
    members.stream().map(alert -> alert.fingerprint + ":" + alert.startsAt.toEpochMilli()).sorted().forEach(id -> all.append(id).append('\n'));
    return "group:" + members.get(0).rule + ":" + digest(all.toString()).substring(0, 24) + suffix;
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
