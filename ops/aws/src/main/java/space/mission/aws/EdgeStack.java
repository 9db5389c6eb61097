package space.mission.aws;

import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The way in: an internet-facing load balancer in the public subnets, HTTPS with an ACM certificate
 * (HTTP only redirects), one target group for the status API, and a WAF web ACL in front of it.
 * It serves the dashboard, the API, long-polls and the live feed (SSE), which set its timeouts.
 */
public final class EdgeStack extends Stack {

  /** The longest long-poll the API holds ({@code ?wait=60}, openapi.yaml's maximum). */
  public static final Duration LONGEST_LONG_POLL = Duration.seconds(60);
  /**
   * Longer than the longest long-poll and than the live feed's heartbeat ({@code MC_STATUS_STREAM_HEARTBEAT},
   * 15 s), so the load balancer never cuts a held request or an idle stream between two heartbeats.
   */
  public static final Duration IDLE_TIMEOUT = Duration.seconds(75);
  /**
   * The app's graceful shutdown: compose gives each role 70 s ({@code stop_grace_period}), the service
   * stack the same as each container's stop timeout. Draining as long lets a request held by a
   * long-poll (60 s at most) finish on the task being replaced before it is told to stop.
   */
  public static final Duration SHUTDOWN_GRACE = Duration.seconds(70);
  public static final String HEALTH_PATH = "/health/ready";

  private final ApplicationLoadBalancer loadBalancer;
  private final ApplicationListener https;
  private final ApplicationTargetGroup statusTargets;
  private final CfnWebACL webAcl;
  private final Bucket accessLogs;
  private final String publicUrl;

  public EdgeStack(Construct scope, String id, StackProps props, NetworkStack network, Settings settings) {
    super(scope, id, props);
    accessLogs = Bucket.Builder.create(this, "AlbAccessLogs")
      // the load balancer's log delivery writes SSE-S3 only (it cannot use a KMS key)
      .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).enforceSsl(true).encryption(BucketEncryption.S3_MANAGED)
      .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
      .removalPolicy(RemovalPolicy.RETAIN).build();

    loadBalancer = ApplicationLoadBalancer.Builder.create(this, "Alb")
      .vpc(network.vpc())
      .internetFacing(true)
      .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
      .securityGroup(network.albGroup())
      .idleTimeout(IDLE_TIMEOUT)
      .dropInvalidHeaderFields(true)
      .build();
    loadBalancer.logAccessLogs(accessLogs, "alb");

    statusTargets = ApplicationTargetGroup.Builder.create(this, "StatusTargets")
      .vpc(network.vpc())
      // the tasks have their own addresses (awsvpc): the targets are IPs on the status port
      .targetType(TargetType.IP)
      .protocol(ApplicationProtocol.HTTP)
      .port(NetworkStack.SERVICE_PORT)
      .healthCheck(HealthCheck.builder().path(HEALTH_PATH).healthyHttpCodes("200")
        .interval(Duration.seconds(10)).timeout(Duration.seconds(5)).healthyThresholdCount(2).unhealthyThresholdCount(3).build())
      .deregistrationDelay(SHUTDOWN_GRACE)
      .build();

    // the security groups are the network stack's, rule by rule: no listener opens anything itself
    https = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
      .protocol(ApplicationProtocol.HTTPS).port(443).open(false)
      .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate(settings))))
      .sslPolicy(SslPolicy.RECOMMENDED_TLS)
      .defaultTargetGroups(List.of(statusTargets))
      .build());
    loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
      .protocol(ApplicationProtocol.HTTP).port(80).open(false)
      .defaultAction(ListenerAction.redirect(RedirectOptions.builder().protocol("HTTPS").port("443").permanent(true).build()))
      .build());

    if (!settings.hostedZoneId().isBlank()) {
      ARecord.Builder.create(this, "Name").zone(zone(settings)).recordName(settings.domainName())
        .target(RecordTarget.fromAlias(new LoadBalancerTarget(loadBalancer))).build();
    }
    publicUrl = "https://" + (settings.hasDomain() ? settings.domainName() : loadBalancer.getLoadBalancerDnsName());

    CfnOutput.Builder.create(this, "PublicUrl").value(publicUrl).description("where the API and dashboard answer").build();
    CfnOutput.Builder.create(this, "LoadBalancerDnsName").value(loadBalancer.getLoadBalancerDnsName())
      .description("point the domain's record here when the app does not manage the zone").build();

    webAcl = webAcl(settings.wafRateLimit());
    CfnWebACLAssociation.Builder.create(this, "WebAclAssociation")
      .resourceArn(loadBalancer.getLoadBalancerArn()).webAclArn(webAcl.getAttrArn()).build();

    NagSuppressions.addResourceSuppressions(accessLogs, List.of(DataStack.suppress("AwsSolutions-S1",
      "this bucket holds the load balancer's own access logs; logging access to it into another bucket would only log the logger")));
  }

  private ICertificate certificate(Settings settings) {
    if (!settings.createsCertificate()) {
      return Certificate.fromCertificateArn(this, "Certificate", settings.certificateArn());
    }
    return Certificate.Builder.create(this, "Certificate").domainName(settings.domainName())
      .validation(CertificateValidation.fromDns(zone(settings))).build();
  }

  private IHostedZone zone(Settings settings) {
    IHostedZone existing = (IHostedZone) getNode().tryFindChild("Zone");
    return existing != null ? existing : HostedZone.fromHostedZoneAttributes(this, "Zone", HostedZoneAttributes.builder()
      .hostedZoneId(settings.hostedZoneId()).zoneName(settings.hostedZoneName()).build());
  }

  /**
   * AWS's managed rule groups for common exploits, known bad inputs and addresses with a bad reputation,
   * then a per-address rate limit (requests in 5 minutes). The common set's 8 KB body limit only counts:
   * a status update with telemetry may be larger, and the API refuses bodies over 64 KiB itself (413).
   */
  private CfnWebACL webAcl(int rateLimit) {
    List<Object> rules = List.of(
      managed("AWSManagedRulesCommonRuleSet", 0, List.of(CfnWebACL.RuleActionOverrideProperty.builder()
        .name("SizeRestrictions_BODY").actionToUse(CfnWebACL.RuleActionProperty.builder()
          .count(CfnWebACL.CountActionProperty.builder().build()).build()).build())),
      managed("AWSManagedRulesKnownBadInputsRuleSet", 1, List.of()),
      managed("AWSManagedRulesAmazonIpReputationList", 2, List.of()),
      CfnWebACL.RuleProperty.builder().name("rate-per-address").priority(3)
        .action(CfnWebACL.RuleActionProperty.builder().block(CfnWebACL.BlockActionProperty.builder().build()).build())
        .statement(CfnWebACL.StatementProperty.builder().rateBasedStatement(CfnWebACL.RateBasedStatementProperty.builder()
          .limit(rateLimit).aggregateKeyType("IP").build()).build())
        .visibilityConfig(visibility("rate-per-address")).build());
    return CfnWebACL.Builder.create(this, "WebAcl")
      .scope("REGIONAL")
      .defaultAction(CfnWebACL.DefaultActionProperty.builder().allow(CfnWebACL.AllowActionProperty.builder().build()).build())
      .visibilityConfig(visibility("mission-control"))
      .rules(rules)
      .build();
  }

  private static CfnWebACL.RuleProperty managed(String name, int priority, List<Object> overrides) {
    CfnWebACL.ManagedRuleGroupStatementProperty.Builder group = CfnWebACL.ManagedRuleGroupStatementProperty.builder()
      .vendorName("AWS").name(name);
    if (!overrides.isEmpty()) {
      group.ruleActionOverrides(overrides);
    }
    return CfnWebACL.RuleProperty.builder().name(name).priority(priority)
      .overrideAction(CfnWebACL.OverrideActionProperty.builder().none(Map.of()).build())
      .statement(CfnWebACL.StatementProperty.builder().managedRuleGroupStatement(group.build()).build())
      .visibilityConfig(visibility(name)).build();
  }

  private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
    return CfnWebACL.VisibilityConfigProperty.builder().metricName(metric)
      .cloudWatchMetricsEnabled(true).sampledRequestsEnabled(true).build();
  }

  public ApplicationLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public ApplicationListener https() {
    return https;
  }

  public ApplicationTargetGroup statusTargets() {
    return statusTargets;
  }

  public CfnWebACL webAcl() {
    return webAcl;
  }

  public Bucket accessLogs() {
    return accessLogs;
  }

  /** Where people reach the API (what notifications link to). */
  public String publicUrl() {
    return publicUrl;
  }
}
