package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The network and data stacks, and cdk-nag over every stack, read from the one shared {@link Synthesis}. */
class AwsEnvironmentTest {

  static MissionControlApp env;
  static Template network;
  static Template data;

  @BeforeAll
  static void synthesize() {
    Synthesis synthesis = Synthesis.get();
    assertThat(synthesis.stacks).isEqualTo(8);
    env = synthesis.env;
    network = synthesis.network;
    data = synthesis.data;
  }

  @Test
  @DisplayName("the VPC spans two zones with public, private and isolated subnets, and logs rejected flows")
  void vpc() {
    network.resourceCountIs("AWS::EC2::VPC", 1);
    network.resourceCountIs("AWS::EC2::Subnet", 6);
    network.resourceCountIs("AWS::EC2::NatGateway", 2);
    network.resourceCountIs("AWS::EC2::FlowLog", 1);
    network.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "REJECT"));
    List<Object> isolated = new ArrayList<>(network.findResources("AWS::EC2::Subnet", Match.objectLike(Map.of("Properties",
      Map.of("Tags", Match.arrayWith(List.of(Map.of("Key", "aws-cdk:subnet-type", "Value", "Isolated"))))))).values());
    assertThat(isolated).hasSize(2);
  }

  @Test
  @DisplayName("the flow-log role may only write its own log group")
  void flowLogRole() {
    Map<String, Map<String, Object>> groups = network.findResources("AWS::Logs::LogGroup");
    assertThat(groups).hasSize(1);
    Map<String, Map<String, Object>> policies = network.findResources("AWS::IAM::Policy");
    assertThat(policies).hasSize(1);
    String role = network.findResources("AWS::IAM::Role").keySet().iterator().next();
    assertThat(Synthesis.statements(network, role)).containsExactly(Synthesis.allow(
      List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
      Map.of("Fn::GetAtt", List.of(groups.keySet().iterator().next(), "Arn"))));
    network.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of("AssumeRolePolicyDocument", Map.of("Version", "2012-10-17",
      "Statement", List.of(Map.of("Action", "sts:AssumeRole", "Effect", "Allow", "Principal", Map.of("Service", "vpc-flow-logs.amazonaws.com")))))));
  }

  @Test
  @DisplayName("security groups open exactly: 443 and 80 from the internet to the ALB, 8080 from the ALB, the cluster ports between tasks, 3306 from the tasks")
  void securityGroupMatrix() {
    String alb = logicalId(network, env.network.albGroup());
    String service = logicalId(network, env.network.serviceGroup());
    String database = logicalId(network, env.network.databaseGroup());

    // address-range rules are inline: only the load balancer's two
    Map<String, Map<String, Object>> groups = network.findResources("AWS::EC2::SecurityGroup");
    TreeSet<String> cidrRules = new TreeSet<>();
    groups.forEach((id, group) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> properties = (Map<String, Object>) group.get("Properties");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ingress = (List<Map<String, Object>>) properties.getOrDefault("SecurityGroupIngress", List.of());
      ingress.forEach(rule -> cidrRules.add(id + " " + rule.get("CidrIp") + " " + rule.get("FromPort") + "-" + rule.get("ToPort")));
    });
    assertThat(cidrRules).containsExactly(alb + " 0.0.0.0/0 443-443", alb + " 0.0.0.0/0 80-80");

    // every other rule admits a group, never a range
    TreeSet<String> groupRules = new TreeSet<>();
    network.findResources("AWS::EC2::SecurityGroupIngress").values().forEach(resource -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> rule = (Map<String, Object>) resource.get("Properties");
      assertThat(rule).doesNotContainKeys("CidrIp", "CidrIpv6");
      groupRules.add(ref(rule.get("GroupId")) + " <- " + ref(rule.get("SourceSecurityGroupId")) + " " + rule.get("FromPort") + "-" + rule.get("ToPort"));
    });
    assertThat(groupRules).containsExactlyInAnyOrder(
      service + " <- " + alb + " 8080-8080",
      service + " <- " + service + " 5701-5701",
      service + " <- " + service + " 5702-5710",
      database + " <- " + service + " 3306-3306");

    // the ALB may only reach the API; the database reaches nothing
    TreeSet<String> egress = new TreeSet<>();
    network.findResources("AWS::EC2::SecurityGroupEgress").values().forEach(resource -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> rule = (Map<String, Object>) resource.get("Properties");
      egress.add(ref(rule.get("GroupId")) + " -> " + ref(rule.get("DestinationSecurityGroupId")) + " " + rule.get("FromPort") + "-" + rule.get("ToPort"));
    });
    assertThat(egress).containsExactly(alb + " -> " + service + " 8080-8080");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> databaseEgress = (List<Map<String, Object>>) ((Map<String, Object>) groups.get(database).get("Properties")).get("SecurityGroupEgress");
    assertThat(databaseEgress).as("the database group's only egress is AWS's placeholder that denies all").hasSize(1);
    assertThat(databaseEgress.get(0)).containsEntry("CidrIp", "255.255.255.255/32");
  }

  @Test
  @DisplayName("the database is RDS for MariaDB 10.11, Multi-AZ, encrypted with our key, backed up, protected from deletion, in the isolated subnets, its password generated into Secrets Manager")
  void database() {
    data.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
      "Engine", "mariadb",
      "EngineVersion", Match.stringLikeRegexp("^10\\.11"),
      "MultiAZ", true,
      "StorageEncrypted", true,
      "KmsKeyId", Match.objectLike(Map.of("Fn::GetAtt", List.of(logicalId(data, env.data.key()), "Arn"))),
      "BackupRetentionPeriod", 14,
      "DeletionProtection", true,
      "DBName", "mission")));
    // the user is a name; the password a dynamic reference CloudFormation resolves from the generated secret
    data.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
      "MasterUsername", "mission",
      "MasterUserPassword", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(
        Match.stringLikeRegexp("\\{\\{resolve:secretsmanager:.*"))))))))));
    data.hasResource("AWS::RDS::DBInstance", Match.objectLike(Map.of("DeletionPolicy", "Snapshot")));
    data.hasResourceProperties("AWS::RDS::DBSubnetGroup", Match.objectLike(Map.of("SubnetIds", Match.anyValue())));
    data.resourceCountIs("AWS::SecretsManager::Secret", 1);
    data.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of("GenerateSecretString",
      Match.objectLike(Map.of("SecretStringTemplate", "{\"username\":\"mission\"}", "GenerateStringKey", "password")))));
    data.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true, "KeyPolicy", Match.anyValue(), "Description", Match.anyValue()));
  }

  @Test
  @DisplayName("the backup bucket blocks public access, refuses plain HTTP, is encrypted with our key, versioned, and expires old versions with the role's retention")
  void backupBucket() {
    String key = logicalId(data, env.data.key());
    data.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
      "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
      "VersioningConfiguration", Map.of("Status", "Enabled"),
      "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
        "BucketKeyEnabled", true,
        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID", Map.of("Fn::GetAtt", List.of(key, "Arn")))))),
      "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("Prefix", "backups/", "Status", "Enabled",
        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 14), "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))))))));
    String bucket = logicalId(data, env.data.backups());
    data.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
      "Bucket", Map.of("Ref", bucket),
      "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
        "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
  }

  @Test
  @DisplayName("the alert topic is encrypted with our key, refuses plain HTTP, and mails the configured address")
  void alertTopic() {
    data.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of("KmsMasterKeyId", Match.objectLike(Map.of("Fn::GetAtt",
      List.of(logicalId(data, env.data.key()), "Arn"))))));
    data.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
      Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    data.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@mission.example",
      "TopicArn", Map.of("Ref", logicalId(data, env.data.alerts()))));
  }

  @Test
  @DisplayName("the app and resource log groups keep 30 days")
  void logGroups() {
    data.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/mission-control/app", "RetentionInDays", 30));
    data.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/mission-control/resources", "RetentionInDays", 30));
  }

  @Test
  @DisplayName("cdk-nag's AwsSolutions pack finds nothing that is not suppressed with a reason")
  void nag() {
    for (Stack stack : List.of(env.network, env.data, env.registry, env.edge, env.service, env.alarms, env.drills, env.pipeline)) {
      List<String> errors = Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
      List<String> warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
      assertThat(errors).as("cdk-nag errors in %s", stack.getStackName()).isEmpty();
      assertThat(warnings).as("cdk-nag warnings in %s", stack.getStackName()).isEmpty();
    }
  }

  private static String logicalId(Template template, software.constructs.IConstruct construct) {
    software.amazon.awscdk.CfnElement element = (software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild();
    return Stack.of(construct).resolve(element.getLogicalId()).toString();
  }

  @SuppressWarnings("unchecked")
  private static String ref(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.containsKey("Ref")) {
        return map.get("Ref").toString();
      }
      if (map.containsKey("Fn::GetAtt")) {
        return ((List<Object>) map.get("Fn::GetAtt")).get(0).toString();
      }
    }
    return String.valueOf(value);
  }
}
