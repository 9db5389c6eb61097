package space.mission.aws;

import software.constructs.Node;

/**
 * The few values an operator sets, read from CDK context ({@code cdk.json}, or {@code -c key=value}
 * on the command line), each with its default. One place for every key the stacks read.
 */
public record Settings(String alertEmail, String dbInstanceClass, int dbAllocatedStorageGiB, int backupRetentionDays,
                       int logRetentionDays, String backupPrefix,
                       String certificateArn, String domainName, String hostedZoneId, String hostedZoneName,
                       String imageRepository, String imageTag, String instanceType, int minInstances, int maxInstances,
                       int statusMaxTasks, int wafRateLimit, int backupRpoHours, int dbConnectionsAlarm,
                       String pipelineConnectionArn, String pipelineRepository, String pipelineBranch,
                       String pipelineHostTag) {

  public static Settings from(Node node) {
    Settings settings = new Settings(
      text(node, "mission:alertEmail", ""),
      text(node, "mission:dbInstanceClass", "t4g.medium"),
      number(node, "mission:dbAllocatedStorageGiB", 50),
      number(node, "mission:backupRetentionDays", 14),
      number(node, "mission:logRetentionDays", 30),
      text(node, "mission:backupPrefix", "backups/"),
      text(node, "mission:certificateArn", ""),
      text(node, "mission:domainName", ""),
      text(node, "mission:hostedZoneId", ""),
      text(node, "mission:hostedZoneName", ""),
      text(node, "mission:imageRepository", ""),
      text(node, "mission:imageTag", "latest"),
      text(node, "mission:instanceType", "m6i.large"),
      number(node, "mission:minInstances", 2),
      number(node, "mission:maxInstances", 4),
      number(node, "mission:statusMaxTasks", 6),
      number(node, "mission:wafRateLimit", 2000),
      number(node, "mission:backupRpoHours", 24),
      // about 80 % of what MariaDB on a t4g.medium allows (max_connections from its memory: about 340)
      number(node, "mission:dbConnectionsAlarm", 270),
      // the pipeline's source: a CodeStar connection to GitHub (its ARN and owner/repo), or else a CodeCommit repository it creates
      text(node, "mission:pipelineConnectionArn", ""),
      text(node, "mission:pipelineRepository", ""),
      text(node, "mission:pipelineBranch", "main"),
      // KEY=VALUE of EC2 hosts running compose: production also deploys there (ops/deploy-ssm.sh through SSM Run Command)
      text(node, "mission:pipelineHostTag", ""));
    settings.check();
    return settings;
  }

  /** The load balancer needs a certificate: an existing one, or one DNS-validated in a hosted zone we can write to. */
  private void check() {
    boolean zone = !hostedZoneId.isBlank() || !hostedZoneName.isBlank();
    if (zone && (hostedZoneId.isBlank() || hostedZoneName.isBlank() || domainName.isBlank())) {
      throw new IllegalArgumentException("context mission:hostedZoneId, mission:hostedZoneName and mission:domainName go together "
        + "(the certificate is validated, and the name pointed at the load balancer, in that zone)");
    }
    if (certificateArn.isBlank() && !zone) {
      throw new IllegalArgumentException("the HTTPS listener needs a certificate: set context mission:certificateArn (an ACM "
        + "certificate in the stack's region), or mission:domainName with mission:hostedZoneId and mission:hostedZoneName "
        + "(a certificate is then requested and DNS-validated there)");
    }
    if (minInstances < 2 || maxInstances < minInstances) {
      throw new IllegalArgumentException("context mission:minInstances (at least 2, one per zone) and mission:maxInstances "
        + "(at least the minimum): got " + minInstances + " and " + maxInstances);
    }
    if (pipelineConnectionArn.isBlank() != pipelineRepository.isBlank()) {
      throw new IllegalArgumentException("context mission:pipelineConnectionArn and mission:pipelineRepository go together "
        + "(a CodeStar connection and the owner/repo it reads); without both the pipeline creates a CodeCommit repository");
    }
    if (!pipelineRepository.isBlank() && !pipelineRepository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("context mission:pipelineRepository: owner/repo, got \"" + pipelineRepository + "\"");
    }
    if (!pipelineHostTag.isBlank() && !pipelineHostTag.matches("[A-Za-z0-9_.:/+@-]+=[A-Za-z0-9_.:/+@ -]+")) {
      throw new IllegalArgumentException("context mission:pipelineHostTag: KEY=VALUE of the hosts' EC2 tag, got \"" + pipelineHostTag + "\"");
    }
    if (statusMaxTasks < 2) {
      throw new IllegalArgumentException("context mission:statusMaxTasks: at least 2 (one per zone), got " + statusMaxTasks);
    }
  }

  /** A domain name is set: the API is reached (and notifications link) there rather than at the load balancer's own name. */
  public boolean hasDomain() {
    return !domainName.isBlank();
  }

  /** The pipeline reads GitHub through a CodeStar connection rather than a CodeCommit repository of its own. */
  public boolean usesConnection() {
    return !pipelineConnectionArn.isBlank();
  }

  /** Production includes compose hosts, reached by their tag through SSM Run Command. */
  public boolean deploysHosts() {
    return !pipelineHostTag.isBlank();
  }

  public boolean createsCertificate() {
    return certificateArn.isBlank();
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
