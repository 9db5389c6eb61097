package space.mission.aws;

import software.constructs.Node;

/**
 * The few values an operator sets, read from CDK context ({@code cdk.json}, or {@code -c key=value}
 * on the command line), each with its default. One place for every key the stacks read.
 */
public record Settings(String alertEmail, String dbInstanceClass, int dbAllocatedStorageGiB, int backupRetentionDays,
                       int logRetentionDays, String backupPrefix) {

  public static Settings from(Node node) {
    return new Settings(
      text(node, "mission:alertEmail", ""),
      text(node, "mission:dbInstanceClass", "t4g.medium"),
      number(node, "mission:dbAllocatedStorageGiB", 50),
      number(node, "mission:backupRetentionDays", 14),
      number(node, "mission:logRetentionDays", 30),
      text(node, "mission:backupPrefix", "backups/"));
  }

  private static String text(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString();
  }

  private static int number(Node node, String key, int fallback) {
    Object value = node.tryGetContext(key);
    if (value == null) {
      return fallback;
    }
    try {
      return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("context " + key + ": expected a whole number, got \"" + value + "\"");
    }
  }
}
