package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.aws.Synthesis.allow;
import static space.mission.aws.Synthesis.in;
import static space.mission.aws.Synthesis.logicalId;
import static space.mission.aws.Synthesis.properties;
import static space.mission.aws.Synthesis.statements;

class ServiceStackTest {

  static MissionControlApp env;
  static Template service;

  @BeforeAll
  static void synthesize() {
    env = Synthesis.get().env;
    service = Synthesis.get().service;
  }

  private static Object ref(Object token) {
    return in(env.service, token);
  }

  @Test
  @DisplayName("the cluster runs on an EC2 capacity provider: 2 to 4 ECS-optimized instances over both zones' private subnets, in the service group, IMDSv2 only, encrypted gp3 root volumes")
  @SuppressWarnings("unchecked")
  void capacity() {
    service.hasResourceProperties("AWS::ECS::Cluster", Match.objectLike(Map.of("ClusterSettings",
      List.of(Map.of("Name", "containerInsights", "Value", "enabled")))));
    List<Object> privateSubnets = env.network.vpc().getPrivateSubnets().stream().map(s -> ref(s.getSubnetId())).toList();
    service.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Match.objectLike(Map.of(
      "MinSize", "2", "MaxSize", "4", "VPCZoneIdentifier", privateSubnets, "NewInstancesProtectedFromScaleIn", true)));
    // the drills' Run Command finds the container instances by this tag
    service.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Match.objectLike(Map.of("Tags", Match.arrayWith(List.of(
      Map.of("Key", "mission-control:host", "Value", "ecs-container-instance", "PropagateAtLaunch", true))))));
    Map<String, Object> template = (Map<String, Object>) properties(service.findResources("AWS::EC2::LaunchTemplate").values().iterator().next())
      .get("LaunchTemplateData");
    assertThat(template.get("MetadataOptions")).isEqualTo(Map.of("HttpTokens", "required", "HttpPutResponseHopLimit", 1));
    assertThat(template.get("BlockDeviceMappings")).isEqualTo(List.of(Map.of("DeviceName", "/dev/xvda",
      "Ebs", Map.of("Encrypted", true, "VolumeSize", 30, "VolumeType", "gp3"))));
    assertThat(template.get("SecurityGroupIds")).isEqualTo(List.of(ref(env.network.serviceGroup().getSecurityGroupId())));
    assertThat(template.get("InstanceType")).isEqualTo("m6i.large");
    // the AMI is AWS's recommended ECS-optimized image, read from its public SSM parameter at deploy time
    String amiParameter = ((Map<String, Object>) template.get("ImageId")).get("Ref").toString();
    assertThat(((Map<String, Object>) ((Map<String, Object>) service.toJSON().get("Parameters")).get(amiParameter)))
      .containsEntry("Type", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
      .containsEntry("Default", "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
    assertThat(template.get("UserData").toString()).contains("ECS_AWSVPC_BLOCK_IMDS=true").contains("ECS_CLUSTER=");
    service.hasResourceProperties("AWS::ECS::CapacityProvider", Match.objectLike(Map.of("AutoScalingGroupProvider", Match.objectLike(Map.of(
      "ManagedScaling", Match.objectLike(Map.of("Status", "ENABLED", "TargetCapacity", 100)),
      "ManagedTerminationProtection", "ENABLED")))));
  }

  @Test
  @DisplayName("one ECS service per role from the one image: status (2, behind the target group), monitor as a daemon, alert and backup with 2 tasks, all in the private subnets with the service group")
  void services() {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    service.findResources("AWS::ECS::Service").values().forEach(resource -> byName.put((String) properties(resource).get("ServiceName"), properties(resource)));
    assertThat(byName).containsOnlyKeys("mission-control-status", "mission-control-monitor", "mission-control-alert", "mission-control-backup");
    Object awsvpc = Map.of("AwsvpcConfiguration", Map.of("AssignPublicIp", "DISABLED",
      "SecurityGroups", List.of(ref(env.network.serviceGroup().getSecurityGroupId())),
      "Subnets", env.network.vpc().getPrivateSubnets().stream().map(s -> ref(s.getSubnetId())).toList()));
    byName.values().forEach(props -> assertThat(props).containsEntry("NetworkConfiguration", awsvpc));

    assertThat(byName.get("mission-control-status")).containsEntry("DesiredCount", 2).containsEntry("SchedulingStrategy", "REPLICA")
      .containsEntry("LoadBalancers", List.of(Map.of("ContainerName", "status", "ContainerPort", 8080,
        "TargetGroupArn", ref(env.edge.statusTargets().getTargetGroupArn()))));
    assertThat(byName.get("mission-control-monitor")).containsEntry("SchedulingStrategy", "DAEMON").doesNotContainKey("DesiredCount");
    for (String role : List.of("alert", "backup")) {
      assertThat(byName.get("mission-control-" + role)).containsEntry("DesiredCount", 2).doesNotContainKey("LoadBalancers")
        .containsEntry("PlacementStrategies", List.of(Map.of("Field", "attribute:ecs.availability-zone", "Type", "spread")));
    }

    // one image for all, at the configured tag, from the registry stack's repository
    Set<String> images = new TreeSet<>();
    containers().values().forEach(container -> images.add(String.valueOf(container.get("Image"))));
    assertThat(images).hasSize(1);
    assertThat(images.iterator().next()).contains("MissionControl-Registry").contains(":latest");
  }

  @Test
  @DisplayName("each role's container gets what that role reads: MC_ROLES, the database URL without a password, the topic, bucket and prefix, log group, namespace; the password and API tokens only as ECS secrets")
  @SuppressWarnings("unchecked")
  void environment() {
    Map<String, Map<String, Object>> containers = containers();
    Map<String, Set<String>> variables = new LinkedHashMap<>();
    containers.forEach((role, container) -> {
      Set<String> names = new TreeSet<>();
      ((List<Map<String, Object>>) container.get("Environment")).forEach(variable -> names.add((String) variable.get("Name")));
      variables.put(role, names);
    });
    Set<String> common = Set.of("MC_ROLES", "MC_AWS_REGION", "MC_CLUSTER_DISCOVERY", "MC_CLUSTER_MEMBERS", "MC_METRICS_CLOUDWATCH_NAMESPACE", "AWS_REGION");
    assertThat(variables.get("status")).containsExactlyInAnyOrderElementsOf(union(common, "MC_DB_URL", "MC_HTTP_PORT", "MC_HTTP_MAX_CONNECTIONS_PER_CLIENT"));
    assertThat(variables.get("monitor")).containsExactlyInAnyOrderElementsOf(union(common, "MC_LOG_GROUP"));
    assertThat(variables.get("alert")).containsExactlyInAnyOrderElementsOf(union(common, "MC_DB_URL", "MC_SNS_TOPIC_ARN",
      "MC_ALERT_PUBLIC_URL", "MC_ALERT_RULES_BACKUP_STALE_RPO"));
    assertThat(variables.get("backup")).containsExactlyInAnyOrderElementsOf(union(common, "MC_DB_URL", "MC_BACKUP_BUCKET",
      "MC_BACKUP_PREFIX", "MC_BACKUP_S3_SERVER_SIDE_ENCRYPTION", "MC_BACKUP_S3_KMS_KEY_ID"));

    Map<String, Object> alert = values(containers.get("alert"));
    assertThat(alert).containsEntry("MC_ROLES", "alert")
      .containsEntry("MC_SNS_TOPIC_ARN", ref(env.data.alerts().getTopicArn()))
      .containsEntry("MC_ALERT_PUBLIC_URL", "https://mission.example")
      .containsEntry("MC_ALERT_RULES_BACKUP_STALE_RPO", "24h")
      .containsEntry("MC_CLUSTER_DISCOVERY", "dns")
      .containsEntry("MC_CLUSTER_MEMBERS", "status.mission.internal,monitor.mission.internal,alert.mission.internal,backup.mission.internal");
    assertThat(alert.get("MC_DB_URL").toString()).startsWith("{Fn::Join=[, [mysql://mission@").endsWith(":3306/mission]]}");
    Map<String, Object> backup = values(containers.get("backup"));
    assertThat(backup).containsEntry("MC_BACKUP_BUCKET", ref(env.data.backups().getBucketName()))
      .containsEntry("MC_BACKUP_PREFIX", "backups/")
      .containsEntry("MC_BACKUP_S3_SERVER_SIDE_ENCRYPTION", "aws:kms")
      .containsEntry("MC_BACKUP_S3_KMS_KEY_ID", ref(env.data.key().getKeyArn()));
    assertThat(values(containers.get("monitor"))).containsEntry("MC_LOG_GROUP", ref(env.data.resourceLogs().getLogGroupName()))
      .containsEntry("MC_METRICS_CLOUDWATCH_NAMESPACE", "MissionControl");

    Map<String, Object> password = Map.of("Name", "MC_DB_PASSWORD", "ValueFrom", Map.of("Fn::Join", List.of("",
      List.of(ref(env.data.database().getSecret().getSecretArn()), ":password::"))));
    Map<String, Object> tokens = Map.of("Name", "MC_API_TOKENS", "ValueFrom", Map.of("Ref", logicalId(env.service.apiTokens())));
    assertThat((List<Object>) containers.get("status").get("Secrets")).containsExactlyInAnyOrder(password, tokens);
    assertThat((List<Object>) containers.get("alert").get("Secrets")).containsExactly(password);
    assertThat((List<Object>) containers.get("backup").get("Secrets")).containsExactly(password);
    assertThat(containers.get("monitor")).doesNotContainKey("Secrets");
  }

  @Test
  @DisplayName("containers log through awslogs to the app group, stop within the 70 s grace, and are checked by the image's health check; tasks use awsvpc, a task role each and one execution role")
  void containersAndTasks() {
    containers().forEach((role, container) -> {
      assertThat(container.get("LogConfiguration")).isEqualTo(Map.of("LogDriver", "awslogs", "Options", Map.of(
        "awslogs-group", ref(env.data.appLogs().getLogGroupName()), "awslogs-stream-prefix", role, "awslogs-region", "us-east-1",
        "mode", "non-blocking", "max-buffer-size", "4194304b")));
      assertThat(container).containsEntry("StopTimeout", 70);
      assertThat(container.get("HealthCheck")).isEqualTo(Map.of("Command", List.of("CMD", "/opt/mission-control/healthcheck.sh"),
        "Interval", 10, "Retries", 3, "StartPeriod", 60, "Timeout", 5));
    });
    Set<Object> taskRoles = new TreeSet<>();
    service.findResources("AWS::ECS::TaskDefinition").values().forEach(resource -> {
      Map<String, Object> props = properties(resource);
      assertThat(props).containsEntry("NetworkMode", "awsvpc")
        .containsEntry("ExecutionRoleArn", Map.of("Fn::GetAtt", List.of(logicalId(env.service.executionRole()), "Arn")));
      taskRoles.add(props.get("TaskRoleArn").toString());
    });
    assertThat(taskRoles).hasSize(4);
  }

  @Test
  @DisplayName("status scales from 2 to 6 tasks, tracking 60 % CPU and 1000 requests per target")
  void scaling() {
    service.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Match.objectLike(Map.of(
      "MinCapacity", 2, "MaxCapacity", 6, "ScalableDimension", "ecs:service:DesiredCount", "ServiceNamespace", "ecs")));
    service.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
      "PolicyType", "TargetTrackingScaling",
      "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of("TargetValue", 60,
        "PredefinedMetricSpecification", Map.of("PredefinedMetricType", "ECSServiceAverageCPUUtilization"))))));
    service.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Match.objectLike(Map.of(
      "PolicyType", "TargetTrackingScaling",
      "TargetTrackingScalingPolicyConfiguration", Match.objectLike(Map.of("TargetValue", 1000,
        "PredefinedMetricSpecification", Match.objectLike(Map.of("PredefinedMetricType", "ALBRequestCountPerTarget",
          "ResourceLabel", Match.anyValue())))))));
    service.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 2);
  }

  @Test
  @DisplayName("every IAM statement of the service stack, role by role: the named actions on the named ARNs, PutMetricData held to our namespace")
  void iamStatements() {
    String cluster = logicalId(env.service.cluster());
    Object instancesOfCluster = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":ecs:",
      Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":container-instance/", Map.of("Ref", cluster), "/*")));
    assertThat(statements(service, logicalId(env.service.instanceRole()))).containsExactly(
      allow(List.of("ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance", "ecs:SubmitContainerStateChange",
        "ecs:SubmitTaskStateChange", "ecs:SubmitAttachmentStateChanges"), Map.of("Fn::GetAtt", List.of(cluster, "Arn"))),
      allow(List.of("ecs:Poll", "ecs:StartTelemetrySession"), instancesOfCluster),
      allow("ecs:DiscoverPollEndpoint", "*"),
      allow("ssm:UpdateInstanceInformation", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":ec2:",
        Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":instance/*")))),
      allow(List.of("ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel",
        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
        "ec2messages:GetMessages", "ec2messages:SendReply"), "*"));

    assertThat(statements(service, logicalId(env.service.executionRole()))).containsExactly(
      allow(List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"),
        ref(env.registry.repository().getRepositoryArn())),
      allow("ecr:GetAuthorizationToken", "*"),
      allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), ref(env.data.appLogs().getLogGroupArn())),
      allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), Map.of("Ref", logicalId(env.service.apiTokens()))),
      allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), ref(env.data.database().getSecret().getSecretArn())));

    Map<String, Object> metrics = allow("cloudwatch:PutMetricData", "*", Map.of("StringEquals", Map.of("cloudwatch:namespace", "MissionControl")));
    assertThat(statements(service, logicalId(env.service.taskRoles().get("status")))).as("the status role calls no AWS API").isEmpty();
    assertThat(statements(service, logicalId(env.service.taskRoles().get("monitor")))).containsExactly(
      allow(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), ref(env.data.resourceLogs().getLogGroupArn())),
      metrics);
    assertThat(statements(service, logicalId(env.service.taskRoles().get("alert")))).containsExactly(
      allow("sns:Publish", ref(env.data.alerts().getTopicArn())),
      allow(List.of("kms:GenerateDataKey", "kms:Decrypt"), ref(env.data.key().getKeyArn())),
      allow("logs:FilterLogEvents", ref(env.data.appLogs().getLogGroupArn())));
    Object bucket = ref(env.data.backups().getBucketArn());
    assertThat(statements(service, logicalId(env.service.taskRoles().get("backup")))).containsExactly(
      allow(List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
        Map.of("Fn::Join", List.of("", List.of(bucket, "/backups/*")))),
      allow("s3:ListBucket", bucket, Map.of("StringLike", Map.of("s3:prefix", List.of("backups/*")))),
      allow("s3:ListBucketMultipartUploads", bucket),
      allow(List.of("kms:GenerateDataKey", "kms:Decrypt"), ref(env.data.key().getKeyArn())),
      metrics);

    // no other policy, inline or managed, on any role of the stack
    service.resourceCountIs("AWS::IAM::Policy", 5);
    service.findResources("AWS::IAM::Role").values().forEach(role ->
      assertThat(properties(role)).doesNotContainKeys("ManagedPolicyArns", "Policies"));
  }

  @Test
  @DisplayName("no IAM statement anywhere in the app has a wildcard action, and a wildcard resource only where the action has no resource type")
  @SuppressWarnings("unchecked")
  void noWildcards() {
    Set<String> withoutResourceType = Set.of("ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData",
      "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeManagedPrefixLists", "ec2:DescribeInstances",
      "ssm:ListCommands", "ssm:CancelCommand", "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel",
      "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
      "ec2messages:GetMessages", "ec2messages:SendReply");
    List<String> checked = new ArrayList<>();
    Synthesis synthesis = Synthesis.get();
    for (Template template : List.of(synthesis.network, synthesis.data, synthesis.registry, synthesis.edge, synthesis.service,
      synthesis.alarms, synthesis.drills)) {
      template.findResources("AWS::IAM::Policy").values().forEach(policy -> {
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) properties(policy).get("PolicyDocument")).get("Statement");
        statements.forEach(statement -> {
          List<String> actions = statement.get("Action") instanceof List<?> list ? (List<String>) list : List.of((String) statement.get("Action"));
          actions.forEach(action -> assertThat(action).as("an action, not a pattern").doesNotContain("*"));
          if ("*".equals(statement.get("Resource"))) {
            assertThat(withoutResourceType).as("actions on *: %s", actions).containsAll(actions);
            if (actions.contains("cloudwatch:PutMetricData")) {
              assertThat(statement).containsKey("Condition");
            }
          }
          checked.addAll(actions);
        });
      });
    }
    assertThat(checked).contains("sns:Publish", "ec2:CreateNetworkAcl", "ecs:StopTask");
  }

  /** The container definition of each role's task. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> containers() {
    Map<String, Map<String, Object>> containers = new LinkedHashMap<>();
    service.findResources("AWS::ECS::TaskDefinition").values().forEach(resource -> {
      List<Map<String, Object>> definitions = (List<Map<String, Object>>) properties(resource).get("ContainerDefinitions");
      assertThat(definitions).hasSize(1);
      containers.put((String) definitions.get(0).get("Name"), definitions.get(0));
    });
    assertThat(containers).containsOnlyKeys(ServiceStack.ROLES);
    return containers;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Map<String, Object> container) {
    Map<String, Object> values = new LinkedHashMap<>();
    ((List<Map<String, Object>>) container.get("Environment")).forEach(variable -> values.put((String) variable.get("Name"), variable.get("Value")));
    return values;
  }

  private static Set<String> union(Set<String> common, String... more) {
    Set<String> all = new TreeSet<>(common);
    all.addAll(List.of(more));
    return all;
  }

  static String stackName(Stack stack) {
    return stack.getStackName();
  }
}
