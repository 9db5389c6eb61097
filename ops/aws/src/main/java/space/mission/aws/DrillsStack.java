package space.mission.aws;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.ec2.CfnPrefixList;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.fis.CfnExperimentTemplate;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resilience drills as AWS Fault Injection Service experiment templates: the services cut from
 * the database, from the internet (SNS and every AWS API behind the NAT), one availability zone cut
 * off, an alert task stopped, and the active alert task killed (ops/stop-active.sh through Run Command). Each runs for a bounded time and stops early when the load
 * balancer's 5xx alarm fires: a drill may show a weakness, not become an outage.
 * {@code ops/aws/nacl-drill.sh} makes the same network cuts with the CLI.
 */
public final class DrillsStack extends Stack {

  /** Every IPv4 address outside 10.0.0.0/8 (the VPC's range lies inside it): "the internet" for a deny list. */
  public static final List<String> OUTSIDE_TEN_SLASH_EIGHT = List.of("0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6",
    "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1");
  public static final String DURATION = "PT5M";

  private final Role role;
  private final Map<String, CfnExperimentTemplate> templates = new LinkedHashMap<>();
  private final CfnPrefixList databaseRanges;
  private final CfnPrefixList internetRanges;
  private final CfnDocument stopActiveDocument;

  public DrillsStack(Construct scope, String id, StackProps props, NetworkStack network, ServiceStack service, AlarmsStack alarms) {
    super(scope, id, props);
    List<ISubnet> servicesSubnets = network.vpc().getPrivateSubnets();
    List<ISubnet> databaseSubnets = network.vpc().getIsolatedSubnets();
    databaseRanges = prefixList("DatabaseRanges", "mission-control-database-subnets",
      databaseSubnets.stream().map(ISubnet::getIpv4CidrBlock).toList());
    internetRanges = prefixList("InternetRanges", "mission-control-outside-vpc", OUTSIDE_TEN_SLASH_EIGHT);

    role = Role.Builder.create(this, "FisRole").assumedBy(new ServicePrincipal("fis.amazonaws.com"))
      .description("AWS FIS running the Mission Control drills: swap the subnets' network ACLs, stop alert tasks.").build();
    List<ISubnet> allSubnets = new ArrayList<>();
    allSubnets.addAll(network.vpc().getPublicSubnets());
    allSubnets.addAll(servicesSubnets);
    allSubnets.addAll(databaseSubnets);
    // the VPC lists each tier's subnets in zone order: the first of each is the first zone's
    List<ISubnet> oneZone = List.of(network.vpc().getPublicSubnets().get(0), servicesSubnets.get(0), databaseSubnets.get(0));
    stopActiveDocument = newStopActiveDocument();
    statements(network, allSubnets, service).forEach(role::addToPolicy);

    String stopOn = alarms.alarms().get("Alb5xxRate").getAlarmArn();
    templates.put("database", cut("CutDatabase", "The services cut from the database (the isolated subnets' ranges) for 5 minutes",
      servicesSubnets, Map.of("scope", "prefix-list", "prefixListIdentifier", databaseRanges.getAttrPrefixListId()), stopOn));
    templates.put("internet", cut("CutInternet", "The services cut from everything outside the VPC (SNS, CloudWatch, S3 through the NAT) for 5 minutes",
      servicesSubnets, Map.of("scope", "prefix-list", "prefixListIdentifier", internetRanges.getAttrPrefixListId()), stopOn));
    templates.put("zone", cut("CutZone", "Every subnet of the first availability zone cut off from all traffic for 5 minutes",
      oneZone, Map.of("scope", "all"), stopOn));
    templates.put("alert-task", stopAlertTask(service, stopOn));
    templates.put("active-alert", stopActiveAlert(stopOn));

    NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
      .reason("FIS creates its own network ACLs (their ids are unknown before), each tagged managedByFIS, and only those may be "
        + "changed or deleted; the Describe calls it makes, ssm:ListCommands and ssm:CancelCommand have no resource type; tasks "
        + "of the one cluster are named by the cluster's ARN prefix and an ecs:cluster condition; Run Command reaches only "
        + "instances tagged " + ServiceStack.HOST_TAG_KEY + "=" + ServiceStack.HOST_TAG_VALUE + " (an ssm:resourceTag condition)").build()), true);
  }

  private CfnPrefixList prefixList(String id, String name, List<String> cidrs) {
    return CfnPrefixList.Builder.create(this, id).prefixListName(name).addressFamily("IPv4").maxEntries(cidrs.size())
      .entries(cidrs.stream().map(cidr -> (Object) CfnPrefixList.EntryProperty.builder().cidr(cidr).build()).toList()).build();
  }

  private CfnExperimentTemplate cut(String id, String description, List<ISubnet> subnets, Map<String, String> parameters, String stopOn) {
    // sorted: Map.of's order changes from one JVM to the next, and with it the template
    Map<String, String> all = new TreeMap<>(parameters);
    all.put("duration", DURATION);
    return CfnExperimentTemplate.Builder.create(this, id)
      .description(description)
      .roleArn(role.getRoleArn())
      .targets(Map.of("subnets", CfnExperimentTemplate.ExperimentTemplateTargetProperty.builder()
        .resourceType("aws:ec2:subnet").selectionMode("ALL").resourceArns(subnets.stream().map(this::subnetArn).toList()).build()))
      .actions(Map.of("cut", CfnExperimentTemplate.ExperimentTemplateActionProperty.builder()
        .actionId("aws:network:disrupt-connectivity").parameters(all).targets(Map.of("Subnets", "subnets")).build()))
      .stopConditions(List.of(stopCondition(stopOn)))
      .tags(Map.of("Name", "mission-control-" + id))
      .build();
  }

  /**
   * One of the two alert tasks stopped: FIS cannot tell which one holds the lease, so it is the active
   * one half the time; the standby must take over within the lease's TTL when it is.
   */
  private CfnExperimentTemplate stopAlertTask(ServiceStack service, String stopOn) {
    return CfnExperimentTemplate.Builder.create(this, "StopAlertTask")
      .description("One alert task stopped: the standby takes the lease within about 6 s when the active one was hit")
      .roleArn(role.getRoleArn())
      .targets(Map.of("alertTasks", CfnExperimentTemplate.ExperimentTemplateTargetProperty.builder()
        .resourceType("aws:ecs:task").selectionMode("COUNT(1)")
        .parameters(new TreeMap<>(Map.of("cluster", service.cluster().getClusterName(), "service", service.services().get("alert").getServiceName())))
        .build()))
      .actions(Map.of("stop", CfnExperimentTemplate.ExperimentTemplateActionProperty.builder()
        .actionId("aws:ecs:stop-task").targets(Map.of("Tasks", "alertTasks")).build()))
      .stopConditions(List.of(stopCondition(stopOn)))
      .tags(Map.of("Name", "mission-control-StopAlertTask"))
      .build();
  }

  /**
   * {@code ops/stop-active.sh} as an SSM Command document: on a container instance, it kills the
   * container whose own /metrics says it holds the role's lease, and does nothing on the others.
   * The script travels base64-encoded, because SSM would read its {@code {{.ID}}} as a parameter.
   */
  private CfnDocument newStopActiveDocument() {
    String script = Base64.getEncoder().encodeToString(stopActiveScript());
    return CfnDocument.Builder.create(this, "StopActiveDocument").documentType("Command").documentFormat("JSON")
      .content(Map.of("schemaVersion", "2.2",
        "description", "Kill (SIGKILL) the container on this host that holds a singleton role's lease (ops/stop-active.sh)",
        "parameters", Map.of("Role", Map.of("type", "String", "default", "alert", "allowedValues", List.of("alert", "backup"))),
        "mainSteps", List.of(Map.of("action", "aws:runShellScript", "name", "stopActive", "inputs", Map.of(
          "timeoutSeconds", "60",
          "runCommand", List.of(
            "echo " + script + " | base64 -d > /tmp/mission-stop-active.sh",
            "bash /tmp/mission-stop-active.sh {{ Role }} --port " + NetworkStack.MANAGEMENT_PORT + " --none-ok"))))))
      .build();
  }

  /** The bytes of {@code ops/stop-active.sh}, found from the working directory up (the CDK app and its tests run in ops/aws). */
  static byte[] stopActiveScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("ops").resolve("stop-active.sh");
      if (Files.isRegularFile(script)) {
        try {
          return Files.readAllBytes(script);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("ops/stop-active.sh not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * The active alert task killed, for certain: the document above sent to every container instance
   * (by their tag); only the one running the lease holder acts. The standby must take over within
   * the lease's TTL.
   */
  private CfnExperimentTemplate stopActiveAlert(String stopOn) {
    return CfnExperimentTemplate.Builder.create(this, "StopActiveAlert")
      .description("The active alert task killed (the one holding the lease): the standby takes it over within about 6 s")
      .roleArn(role.getRoleArn())
      .targets(Map.of("hosts", CfnExperimentTemplate.ExperimentTemplateTargetProperty.builder()
        .resourceType("aws:ec2:instance").selectionMode("ALL")
        .resourceTags(Map.of(ServiceStack.HOST_TAG_KEY, ServiceStack.HOST_TAG_VALUE)).build()))
      .actions(Map.of("kill", CfnExperimentTemplate.ExperimentTemplateActionProperty.builder()
        .actionId("aws:ssm:send-command").targets(Map.of("Instances", "hosts"))
        .parameters(new TreeMap<>(Map.of("documentArn", documentArn(), "documentParameters", "{\"Role\":\"alert\"}",
          "duration", "PT2M")))
        .build()))
      .stopConditions(List.of(stopCondition(stopOn)))
      .tags(Map.of("Name", "mission-control-StopActiveAlert"))
      .build();
  }

  private String documentArn() {
    return "arn:" + Aws.PARTITION + ":ssm:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":document/" + stopActiveDocument.getRef();
  }

  private static CfnExperimentTemplate.ExperimentTemplateStopConditionProperty stopCondition(String alarmArn) {
    return CfnExperimentTemplate.ExperimentTemplateStopConditionProperty.builder().source("aws:cloudwatch:alarm").value(alarmArn).build();
  }

  private String subnetArn(ISubnet subnet) {
    return "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":subnet/" + subnet.getSubnetId();
  }

  /** What disrupt-connectivity and stop-task need (AWS's FIS network and ECS policies), held to this VPC, its subnets and cluster. */
  private List<PolicyStatement> statements(NetworkStack network, List<ISubnet> subnets, ServiceStack service) {
    String ec2 = "arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String ecs = "arn:" + Aws.PARTITION + ":ecs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":";
    String clusterName = service.cluster().getClusterName();
    Map<String, Object> fisTagged = Map.of("StringEquals", Map.of("ec2:ResourceTag/managedByFIS", "true"));
    Map<String, Object> onCluster = Map.of("ArnEquals", Map.of("ecs:cluster", service.cluster().getClusterArn()));
    List<String> subnetArns = subnets.stream().map(this::subnetArn).toList();
    List<String> aclAssociation = new ArrayList<>(subnetArns);
    aclAssociation.add(ec2 + "network-acl/*");
    return List.of(
      statement(List.of("ec2:CreateNetworkAcl"), List.of(ec2 + "vpc/" + network.vpc().getVpcId()), null),
      statement(List.of("ec2:CreateNetworkAcl"), List.of(ec2 + "network-acl/*"),
        Map.of("StringEquals", Map.of("aws:RequestTag/managedByFIS", "true"))),
      statement(List.of("ec2:CreateTags"), List.of(ec2 + "network-acl/*"), Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateNetworkAcl"))),
      statement(List.of("ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"), List.of(ec2 + "network-acl/*"), fisTagged),
      statement(List.of("ec2:ReplaceNetworkAclAssociation"), aclAssociation, null),
      statement(List.of("ec2:GetManagedPrefixListEntries"), List.of(databaseRanges.getAttrArn(), internetRanges.getAttrArn()), null),
      statement(List.of("ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeManagedPrefixLists"), List.of("*"), null),
      statement(List.of("ecs:ListTasks"), List.of(ecs + "container-instance/" + clusterName + "/*"), onCluster),
      statement(List.of("ecs:DescribeTasks", "ecs:StopTask"), List.of(ecs + "task/" + clusterName + "/*"), onCluster),
      // the stop-active drill: Run Command of the one document, on the container instances only
      statement(List.of("ssm:SendCommand"), List.of(documentArn()), null),
      statement(List.of("ssm:SendCommand"), List.of(ec2 + "instance/*"),
        Map.of("StringEquals", Map.of("ssm:resourceTag/" + ServiceStack.HOST_TAG_KEY, ServiceStack.HOST_TAG_VALUE))),
      statement(List.of("ssm:ListCommands", "ssm:CancelCommand", "ec2:DescribeInstances"), List.of("*"), null));
  }

  private static PolicyStatement statement(List<String> actions, List<String> resources, Map<String, Object> conditions) {
    PolicyStatementProps.Builder props = PolicyStatementProps.builder().actions(actions).resources(resources);
    if (conditions != null) {
      props.conditions(conditions);
    }
    return new PolicyStatement(props.build());
  }

  public Role role() {
    return role;
  }

  public Map<String, CfnExperimentTemplate> templates() {
    return templates;
  }

  public CfnDocument stopActiveDocument() {
    return stopActiveDocument;
  }

  public CfnPrefixList databaseRanges() {
    return databaseRanges;
  }

  public CfnPrefixList internetRanges() {
    return internetRanges;
  }
}
