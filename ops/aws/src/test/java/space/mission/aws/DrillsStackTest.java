package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.ISubnet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.aws.Synthesis.allow;
import static space.mission.aws.Synthesis.in;
import static space.mission.aws.Synthesis.logicalId;
import static space.mission.aws.Synthesis.properties;
import static space.mission.aws.Synthesis.statements;

class DrillsStackTest {

  static MissionControlApp env;
  static Template drills;

  @BeforeAll
  static void synthesize() {
    env = Synthesis.get().env;
    drills = Synthesis.get().drills;
  }

  private static Object ref(Object token) {
    return in(env.drills, token);
  }

  private static Object arn(String service, Object... rest) {
    // as CDK joins them: the literal after the account id merges with the ':' before it
    List<Object> parts = new ArrayList<>(List.of("arn:", Map.of("Ref", "AWS::Partition"), ":" + service + ":", Map.of("Ref", "AWS::Region"), ":",
      Map.of("Ref", "AWS::AccountId"), ":" + rest[0]));
    parts.addAll(List.of(rest).subList(1, rest.length));
    return Map.of("Fn::Join", List.of("", parts));
  }

  private static Object subnetArn(ISubnet subnet) {
    return arn("ec2", "subnet/", ref(subnet.getSubnetId()));
  }

  private static Map<String, Object> template(String id) {
    return properties(drills.findResources("AWS::FIS::ExperimentTemplate").get(id));
  }

  @Test
  @DisplayName("five experiment templates, each run by the FIS role and stopped by the load balancer's 5xx alarm")
  void templates() {
    assertThat(drills.findResources("AWS::FIS::ExperimentTemplate"))
      .containsOnlyKeys("CutDatabase", "CutInternet", "CutZone", "StopAlertTask", "StopActiveAlert");
    Object alarm = ref(env.alarms.alarms().get("Alb5xxRate").getAlarmArn());
    drills.findResources("AWS::FIS::ExperimentTemplate").forEach((id, resource) -> {
      assertThat(properties(resource)).as(id)
        .containsEntry("RoleArn", Map.of("Fn::GetAtt", List.of(logicalId(env.drills.role()), "Arn")))
        .containsEntry("StopConditions", List.of(Map.of("Source", "aws:cloudwatch:alarm", "Value", alarm)));
    });
  }

  @Test
  @DisplayName("services -> database: disrupt-connectivity on the services' subnets towards a prefix list of the isolated subnets' ranges, 5 minutes")
  void cutDatabase() {
    Map<String, Object> template = template("CutDatabase");
    assertThat(template.get("Actions")).isEqualTo(Map.of("cut", Map.of("ActionId", "aws:network:disrupt-connectivity",
      "Parameters", Map.of("scope", "prefix-list", "prefixListIdentifier", Map.of("Fn::GetAtt", List.of("DatabaseRanges", "PrefixListId")),
        "duration", "PT5M"), "Targets", Map.of("Subnets", "subnets"))));
    assertThat(template.get("Targets")).isEqualTo(Map.of("subnets", Map.of("ResourceType", "aws:ec2:subnet", "SelectionMode", "ALL",
      "ResourceArns", env.network.vpc().getPrivateSubnets().stream().map(DrillsStackTest::subnetArn).toList())));
    assertThat(properties(drills.findResources("AWS::EC2::PrefixList").get("DatabaseRanges")).get("Entries"))
      .isEqualTo(env.network.vpc().getIsolatedSubnets().stream().map(s -> Map.of("Cidr", s.getIpv4CidrBlock())).toList());
  }

  @Test
  @DisplayName("services -> internet: the services' subnets cut from every range outside 10.0.0.0/8, which holds the VPC")
  void cutInternet() {
    Map<String, Object> template = template("CutInternet");
    assertThat(template.get("Actions").toString()).contains("prefixListIdentifier={Fn::GetAtt=[InternetRanges, PrefixListId]}");
    assertThat(template.get("Targets")).isEqualTo(Map.of("subnets", Map.of("ResourceType", "aws:ec2:subnet", "SelectionMode", "ALL",
      "ResourceArns", env.network.vpc().getPrivateSubnets().stream().map(DrillsStackTest::subnetArn).toList())));
    assertThat(properties(drills.findResources("AWS::EC2::PrefixList").get("InternetRanges")).get("Entries"))
      .isEqualTo(DrillsStack.OUTSIDE_TEN_SLASH_EIGHT.stream().map(cidr -> Map.of("Cidr", cidr)).toList());
    // the ranges and 10.0.0.0/8 together cover all of IPv4 exactly once
    long addresses = Stream.concat(DrillsStack.OUTSIDE_TEN_SLASH_EIGHT.stream(), Stream.of("10.0.0.0/8"))
      .mapToLong(cidr -> 1L << (32 - Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)))).sum();
    assertThat(addresses).isEqualTo(1L << 32);
  }

  @Test
  @DisplayName("one zone: all traffic of the first zone's public, services and database subnets cut")
  void cutZone() {
    Map<String, Object> template = template("CutZone");
    assertThat(template.get("Actions").toString()).contains("scope=all").contains("duration=PT5M");
    assertThat(template.get("Targets")).isEqualTo(Map.of("subnets", Map.of("ResourceType", "aws:ec2:subnet", "SelectionMode", "ALL",
      "ResourceArns", List.of(subnetArn(env.network.vpc().getPublicSubnets().get(0)), subnetArn(env.network.vpc().getPrivateSubnets().get(0)),
        subnetArn(env.network.vpc().getIsolatedSubnets().get(0))))));
  }

  @Test
  @DisplayName("one alert task of the alert service stopped")
  void stopAlertTask() {
    Map<String, Object> template = template("StopAlertTask");
    assertThat(template.get("Actions")).isEqualTo(Map.of("stop", Map.of("ActionId", "aws:ecs:stop-task", "Targets", Map.of("Tasks", "alertTasks"))));
    assertThat(template.get("Targets")).isEqualTo(Map.of("alertTasks", Map.of("ResourceType", "aws:ecs:task", "SelectionMode", "COUNT(1)",
      "Parameters", Map.of("cluster", ref(env.service.cluster().getClusterName()),
        "service", ref(env.service.services().get("alert").getServiceName())))));
  }

  @Test
  @DisplayName("the active alert task: Run Command of the stop-active document on every container instance (by their tag), 2 minutes at most")
  void stopActiveAlert() {
    Map<String, Object> template = template("StopActiveAlert");
    assertThat(template.get("Actions")).isEqualTo(Map.of("kill", Map.of("ActionId", "aws:ssm:send-command",
      "Parameters", Map.of("documentArn", documentArn(), "documentParameters", "{\"Role\":\"alert\"}", "duration", "PT2M"),
      "Targets", Map.of("Instances", "hosts"))));
    assertThat(template.get("Targets")).isEqualTo(Map.of("hosts", Map.of("ResourceType", "aws:ec2:instance", "SelectionMode", "ALL",
      "ResourceTags", Map.of("mission-control:host", "ecs-container-instance"))));
  }

  @Test
  @DisplayName("the stop-active document carries ops/stop-active.sh byte for byte and runs it for the role, on the management port, "
    + "doing nothing on hosts without the active container")
  @SuppressWarnings("unchecked")
  void stopActiveDocument() {
    Map<String, Object> document = properties(drills.findResources("AWS::SSM::Document").get(logicalId(env.drills.stopActiveDocument())));
    assertThat(document).containsEntry("DocumentType", "Command").containsEntry("DocumentFormat", "JSON");
    Map<String, Object> content = (Map<String, Object>) document.get("Content");
    assertThat(content).containsEntry("schemaVersion", "2.2")
      .containsEntry("parameters", Map.of("Role", Map.of("type", "String", "default", "alert", "allowedValues", List.of("alert", "backup"))));
    Map<String, Object> step = ((List<Map<String, Object>>) content.get("mainSteps")).get(0);
    assertThat(step).containsEntry("action", "aws:runShellScript");
    List<String> commands = (List<String>) ((Map<String, Object>) step.get("inputs")).get("runCommand");
    assertThat(commands).hasSize(2);
    String encoded = commands.get(0).substring("echo ".length(), commands.get(0).indexOf(" | base64 -d > /tmp/mission-stop-active.sh"));
    assertThat(Base64.getDecoder().decode(encoded)).isEqualTo(DrillsStack.stopActiveScript());
    assertThat(new String(DrillsStack.stopActiveScript(), StandardCharsets.UTF_8)).contains("mission_singleton_active");
    assertThat(commands.get(1)).isEqualTo("bash /tmp/mission-stop-active.sh {{ Role }} --port 9090 --none-ok");
  }

  private static Object documentArn() {
    return arn("ssm", "document/", Map.of("Ref", logicalId(env.drills.stopActiveDocument())));
  }

  @Test
  @DisplayName("the FIS role: network ACLs only in this VPC and only FIS's own changed or deleted, these subnets re-associated, these prefix lists read, tasks of this cluster, Run Command of the one document on tagged instances")
  void role() {
    Object nacls = arn("ec2", "network-acl/*");
    Object cluster = ref(env.service.cluster().getClusterName());
    Map<String, Object> onCluster = Map.of("ArnEquals", Map.of("ecs:cluster", ref(env.service.cluster().getClusterArn())));
    List<Object> association = new ArrayList<>();
    Stream.of(env.network.vpc().getPublicSubnets(), env.network.vpc().getPrivateSubnets(), env.network.vpc().getIsolatedSubnets())
      .flatMap(List::stream).forEach(subnet -> association.add(subnetArn(subnet)));
    association.add(nacls);
    assertThat(statements(drills, logicalId(env.drills.role()))).containsExactly(
      allow("ec2:CreateNetworkAcl", arn("ec2", "vpc/", ref(env.network.vpc().getVpcId()))),
      allow("ec2:CreateNetworkAcl", nacls, Map.of("StringEquals", Map.of("aws:RequestTag/managedByFIS", "true"))),
      allow("ec2:CreateTags", nacls, Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateNetworkAcl"))),
      allow(List.of("ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"), nacls, Map.of("StringEquals", Map.of("ec2:ResourceTag/managedByFIS", "true"))),
      allow("ec2:ReplaceNetworkAclAssociation", association),
      allow("ec2:GetManagedPrefixListEntries", List.of(Map.of("Fn::GetAtt", List.of("DatabaseRanges", "Arn")),
        Map.of("Fn::GetAtt", List.of("InternetRanges", "Arn")))),
      allow(List.of("ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeManagedPrefixLists"), "*"),
      allow("ecs:ListTasks", arn("ecs", "container-instance/", cluster, "/*"), onCluster),
      allow(List.of("ecs:DescribeTasks", "ecs:StopTask"), arn("ecs", "task/", cluster, "/*"), onCluster),
      allow("ssm:SendCommand", documentArn()),
      allow("ssm:SendCommand", arn("ec2", "instance/*"),
        Map.of("StringEquals", Map.of("ssm:resourceTag/mission-control:host", "ecs-container-instance"))),
      allow(List.of("ssm:ListCommands", "ssm:CancelCommand", "ec2:DescribeInstances"), "*"));
    drills.resourceCountIs("AWS::IAM::Policy", 1);
    drills.findResources("AWS::IAM::Role").values().forEach(role -> assertThat(properties(role)).doesNotContainKeys("ManagedPolicyArns", "Policies"));
  }
}
