package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static space.mission.aws.Synthesis.in;
import static space.mission.aws.Synthesis.logicalId;
import static space.mission.aws.Synthesis.properties;

class EdgeStackTest {

  static MissionControlApp env;
  static Template edge;

  @BeforeAll
  static void synthesize() {
    env = Synthesis.get().env;
    edge = Synthesis.get().edge;
  }

  @Test
  @DisplayName("the load balancer faces the internet from the public subnets with the ALB group, idles 75 s (past a 60 s long-poll and the 15 s heartbeat), drops invalid headers and logs access")
  void loadBalancer() {
    edge.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
    List<Object> publicSubnets = env.network.vpc().getPublicSubnets().stream().map(s -> in(env.edge, s.getSubnetId())).toList();
    edge.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
      "Scheme", "internet-facing",
      "Type", "application",
      "Subnets", publicSubnets,
      "SecurityGroups", List.of(in(env.edge, env.network.albGroup().getSecurityGroupId())),
      "LoadBalancerAttributes", Match.arrayWith(List.of(
        Map.of("Key", "idle_timeout.timeout_seconds", "Value", "75"),
        Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"),
        Map.of("Key", "access_logs.s3.enabled", "Value", "true"),
        Map.of("Key", "access_logs.s3.bucket", "Value", Map.of("Ref", logicalId(env.edge.accessLogs()))))))));
    assertThat(EdgeStack.IDLE_TIMEOUT.toSeconds().intValue()).isGreaterThan(EdgeStack.LONGEST_LONG_POLL.toSeconds().intValue()).isGreaterThan(15);
    edge.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
      "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
      "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))))));
  }

  @Test
  @DisplayName("HTTPS on 443 with the configured ACM certificate and a TLS 1.3 policy forwards to the status targets; HTTP on 80 only answers 301 to HTTPS")
  void listeners() {
    edge.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
    edge.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
      "LoadBalancerArn", Map.of("Ref", logicalId(env.edge.loadBalancer())),
      "Port", 443, "Protocol", "HTTPS",
      "Certificates", List.of(Map.of("CertificateArn", Synthesis.CERTIFICATE)),
      "SslPolicy", Match.stringLikeRegexp("^ELBSecurityPolicy-TLS13-.*"),
      "DefaultActions", List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", logicalId(env.edge.statusTargets()))))));
    edge.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
      "LoadBalancerArn", Map.of("Ref", logicalId(env.edge.loadBalancer())),
      "Port", 80, "Protocol", "HTTP",
      "DefaultActions", List.of(Map.of("Type", "redirect", "RedirectConfig", Map.of("Protocol", "HTTPS", "Port", "443", "StatusCode", "HTTP_301")))));
    // the listeners open nothing: the network stack's rules are the only ones
    edge.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    edge.resourceCountIs("AWS::EC2::SecurityGroupEgress", 0);
  }

  @Test
  @DisplayName("the status target group checks /health/ready on 8080 and drains for the app's 70 s shutdown grace")
  void targetGroup() {
    edge.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 1);
    edge.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
      "Port", 8080, "Protocol", "HTTP", "TargetType", "ip",
      "HealthCheckPath", "/health/ready",
      "Matcher", Map.of("HttpCode", "200"),
      "TargetGroupAttributes", Match.arrayWith(List.of(Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "70"))))));
    assertThat(EdgeStack.SHUTDOWN_GRACE.toSeconds().intValue()).isGreaterThan(EdgeStack.LONGEST_LONG_POLL.toSeconds().intValue());
  }

  @Test
  @DisplayName("the WAF web ACL runs AWS's common, known-bad-inputs and IP-reputation groups and a per-address rate limit, and is associated with the load balancer")
  @SuppressWarnings("unchecked")
  void webAcl() {
    Map<String, Map<String, Object>> acls = edge.findResources("AWS::WAFv2::WebACL");
    assertThat(acls).hasSize(1);
    Map<String, Object> acl = properties(acls.values().iterator().next());
    assertThat(acl).containsEntry("Scope", "REGIONAL").containsEntry("DefaultAction", Map.of("Allow", Map.of()));
    List<Map<String, Object>> rules = (List<Map<String, Object>>) acl.get("Rules");
    assertThat(rules).extracting(rule -> rule.get("Name")).containsExactly("AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "rate-per-address");
    for (int i = 0; i < 3; i++) {
      Map<String, Object> group = (Map<String, Object>) ((Map<String, Object>) rules.get(i).get("Statement")).get("ManagedRuleGroupStatement");
      assertThat(group).containsEntry("VendorName", "AWS").containsEntry("Name", rules.get(i).get("Name"));
      assertThat(rules.get(i)).containsEntry("OverrideAction", Map.of("None", Map.of()));
    }
    // only the body-size rule of the common set merely counts: the API limits bodies itself
    assertThat(((Map<String, Object>) ((Map<String, Object>) rules.get(0).get("Statement")).get("ManagedRuleGroupStatement")).get("RuleActionOverrides"))
      .isEqualTo(List.of(Map.of("Name", "SizeRestrictions_BODY", "ActionToUse", Map.of("Count", Map.of()))));
    assertThat(rules.get(3)).containsEntry("Action", Map.of("Block", Map.of()))
      .containsEntry("Statement", Map.of("RateBasedStatement", Map.of("Limit", 2000, "AggregateKeyType", "IP")));
    edge.hasResourceProperties("AWS::WAFv2::WebACLAssociation", Map.of(
      "ResourceArn", Map.of("Ref", logicalId(env.edge.loadBalancer())),
      "WebACLArn", Map.of("Fn::GetAtt", List.of(logicalId(env.edge.webAcl()), "Arn"))));
  }

  @Test
  @DisplayName("with a domain and hosted zone instead of a certificate ARN, the certificate is requested, DNS-validated in that zone, and the name points at the load balancer")
  void dnsValidatedCertificate() {
    App app = new App(AppProps.builder().outdir("target/cdk.out.dns").context(Map.of("mission:domainName", "mission.example.org",
      "mission:hostedZoneId", "Z0123456789ABCDEFGHIJ", "mission:hostedZoneName", "example.org")).build());
    StackProps props = StackProps.builder().env(Environment.builder().region(MissionControlApp.DEFAULT_REGION).build()).build();
    NetworkStack network = new NetworkStack(app, "Network", props);
    EdgeStack dns = new EdgeStack(app, "Edge", props, network, Settings.from(app.getNode()));
    Template template = Template.fromStack(dns);
    template.hasResourceProperties("AWS::CertificateManager::Certificate", Match.objectLike(Map.of(
      "DomainName", "mission.example.org", "ValidationMethod", "DNS",
      "DomainValidationOptions", List.of(Map.of("DomainName", "mission.example.org", "HostedZoneId", "Z0123456789ABCDEFGHIJ")))));
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
      "Port", 443, "Certificates", List.of(Map.of("CertificateArn", Map.of("Ref", logicalId((software.constructs.IConstruct) dns.getNode().findChild("Certificate"))))))));
    template.hasResourceProperties("AWS::Route53::RecordSet", Match.objectLike(Map.of(
      "Name", "mission.example.org.", "Type", "A", "HostedZoneId", "Z0123456789ABCDEFGHIJ")));
    assertThat(dns.publicUrl()).isEqualTo("https://mission.example.org");
  }

  @Test
  @DisplayName("without a certificate ARN or a hosted zone the app refuses to synthesize, naming the context keys")
  void certificateRequired() {
    App app = new App(AppProps.builder().outdir("target/cdk.out.none").build());
    assertThatThrownBy(() -> Settings.from(app.getNode())).hasMessageContaining("mission:certificateArn").hasMessageContaining("mission:hostedZoneId");
    App partial = new App(AppProps.builder().outdir("target/cdk.out.none").context(Map.of("mission:hostedZoneId", "Z1")).build());
    assertThatThrownBy(() -> Settings.from(partial.getNode())).hasMessageContaining("go together");
  }
}
