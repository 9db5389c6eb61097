package space.mission.aws;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AsgCapacityProvider;
import software.amazon.awscdk.services.ecs.AwsLogDriverMode;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.BuiltInAttributes;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.CloudMapNamespaceOptions;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.AlarmBehavior;
import software.amazon.awscdk.services.ecs.DeploymentAlarmConfig;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.EcsOptimizedImage;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.PlacementStrategy;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.servicediscovery.DnsRecordType;
import software.amazon.awscdk.services.servicediscovery.NamespaceType;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services: an ECS cluster on an Auto Scaling group of container instances (over both zones, in
 * the private subnets), and one ECS service per role, all from the one image: {@code status} behind
 * the load balancer and scaled on CPU and requests per target, {@code monitor} on every instance,
 * {@code alert} and {@code backup} two tasks each (one active by its lease, one standing by).
 *
 * <p>Tasks use awsvpc networking: each has its own address and the service security group, so the
 * group's rules are the task-to-task rules, and a task cannot reach the instance's metadata (and so
 * the instance role). Members find each other by DNS ({@code MC_CLUSTER_DISCOVERY=dns}):
 * {@code MC_CLUSTER_MEMBERS} names each role, a Cloud Map name per service that resolves to all its tasks.
 */
public final class ServiceStack extends Stack {

  /** Our CloudWatch metrics' namespace ({@code MC_METRICS_CLOUDWATCH_NAMESPACE}, the product's default). */
  public static final String METRICS_NAMESPACE = "MissionControl";
  public static final String DISCOVERY_DOMAIN = "mission.internal";
  public static final List<String> ROLES = List.of("status", "monitor", "alert", "backup");

  private final Cluster cluster;
  private final AutoScalingGroup instances;
  private final Role instanceRole;
  private final Role executionRole;
  private final Map<String, Role> taskRoles = new LinkedHashMap<>();
  private final Map<String, Ec2Service> services = new LinkedHashMap<>();
  private final ScalableTaskCount statusScaling;
  private final software.amazon.awscdk.services.secretsmanager.Secret apiTokens;
  private final ContainerImage image;
  private final IRepository images;
  private final AsgCapacityProvider capacity;
  private final Map<String, String> statusEnvironment;
  private final Map<String, Secret> statusSecrets;

  public ServiceStack(Construct scope, String id, StackProps props, NetworkStack network, DataStack data, EdgeStack edge,
                      IRepository repository, Settings settings) {
    // repository: the registry stack's, or null to use the existing one mission:imageRepository names
    super(scope, id, props);
    SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    cluster = Cluster.Builder.create(this, "Cluster").vpc(network.vpc())
      .containerInsightsV2(ContainerInsights.ENABLED)
      .defaultCloudMapNamespace(CloudMapNamespaceOptions.builder().name(DISCOVERY_DOMAIN).vpc(network.vpc())
        .type(NamespaceType.DNS_PRIVATE).build())
      .build();

    instanceRole = Role.Builder.create(this, "InstanceRole").assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
      .description("The ECS agent on the container instances: register, poll, report state. Nothing a task does.").build();
    agentStatements().forEach(instanceRole::addToPolicy);

    UserData userData = UserData.forLinux();
    // awsvpc tasks cannot reach the instance metadata service, so never the instance role's credentials
    userData.addCommands("echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config");
    LaunchTemplate template = LaunchTemplate.Builder.create(this, "InstanceTemplate")
      .machineImage(EcsOptimizedImage.amazonLinux2023())
      .instanceType(new InstanceType(settings.instanceType()))
      .securityGroup(network.serviceGroup())
      // CDK would add the agent's managed statements (ecs:Submit* and others on *) to a mutable role; ours are above
      .role(instanceRole.withoutPolicyUpdates())
      .requireImdsv2(true)
      .httpPutResponseHopLimit(1)
      .detailedMonitoring(true)
      .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
        .volume(BlockDeviceVolume.ebs(30, EbsDeviceOptions.builder().encrypted(true).volumeType(EbsDeviceVolumeType.GP3).build()))
        .build()))
      .userData(userData)
      .build();
    instances = AutoScalingGroup.Builder.create(this, "Instances").vpc(network.vpc()).vpcSubnets(privateSubnets)
      .launchTemplate(template).minCapacity(settings.minInstances()).maxCapacity(settings.maxInstances()).build();
    // what the drills stack's Run Command targets (the container instances, whoever launched them)
    Tags.of(instances).add(HOST_TAG_KEY, HOST_TAG_VALUE);
    // CDK's own metadata block is an iptables rule for bridge-mode containers (deprecated, and needing
    // iptables-services); no task here uses the bridge: ECS_AWSVPC_BLOCK_IMDS above covers awsvpc tasks
    capacity = AsgCapacityProvider.Builder.create(this, "Capacity").autoScalingGroup(instances)
      .enableManagedScaling(true).targetCapacityPercent(100).canContainersAccessInstanceRole(true).build();
    cluster.addAsgCapacityProvider(capacity);

    executionRole = Role.Builder.create(this, "ExecutionRole").assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
      .description("ECS starting the tasks: pull the image, write container logs, read the secrets it injects.").build();
    apiTokens = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "ApiTokens")
      .description("MC_API_TOKENS: the bearer tokens the status API accepts for writes")
      .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
      .build();

    images = repository != null ? repository : Repository.fromRepositoryName(this, "Images", settings.imageRepository());
    CfnOutput.Builder.create(this, "ApiTokensSecret").value(apiTokens.getSecretArn())
      .description("the bearer token for writes: aws secretsmanager get-secret-value --secret-id <this>").build();

    image = ContainerImage.fromEcrRepository(images, settings.imageTag());
    String dbUrl = "mysql://" + DataStack.DATABASE_USER + "@" + data.database().getDbInstanceEndpointAddress() + ":"
      + NetworkStack.DATABASE_PORT + "/" + DataStack.DATABASE_NAME;
    Secret dbPassword = Secret.fromSecretsManager(data.database().getSecret(), "password");
    // insertion-ordered maps throughout: Map.of's order changes from one JVM to the next, and with it the template
    Map<String, String> common = new LinkedHashMap<>();
    common.put("MC_AWS_REGION", Aws.REGION);
    // each name has one record per running task: a starting task joins the addresses they resolve to
    common.put("MC_CLUSTER_DISCOVERY", "dns");
    common.put("MC_CLUSTER_MEMBERS", String.join(",", ROLES.stream().map(role -> role + "." + DISCOVERY_DOMAIN).toList()));
    common.put("MC_METRICS_CLOUDWATCH_NAMESPACE", METRICS_NAMESPACE);

    Map<String, String> status = new LinkedHashMap<>(common);
    status.put("MC_DB_URL", dbUrl);
    status.put("MC_HTTP_PORT", String.valueOf(NetworkStack.SERVICE_PORT));
    // every client arrives from an ALB node's address: a per-address cap would cap the load balancer; the WAF's rate rule limits clients
    status.put("MC_HTTP_MAX_CONNECTIONS_PER_CLIENT", "0");
    Map<String, String> monitor = new LinkedHashMap<>(common);
    monitor.put("MC_LOG_GROUP", data.resourceLogs().getLogGroupName());
    Map<String, String> alert = new LinkedHashMap<>(common);
    alert.put("MC_DB_URL", dbUrl);
    alert.put("MC_SNS_TOPIC_ARN", data.alerts().getTopicArn());
    alert.put("MC_ALERT_PUBLIC_URL", edge.publicUrl());
    alert.put("MC_ALERT_RULES_BACKUP_STALE_RPO", settings.backupRpoHours() + "h");
    Map<String, String> backup = new LinkedHashMap<>(common);
    backup.put("MC_DB_URL", dbUrl);
    backup.put("MC_BACKUP_BUCKET", data.backups().getBucketName());
    backup.put("MC_BACKUP_PREFIX", settings.backupPrefix());
    backup.put("MC_BACKUP_S3_SERVER_SIDE_ENCRYPTION", "aws:kms");
    backup.put("MC_BACKUP_S3_KMS_KEY_ID", data.key().getKeyArn());

    // the database password and the API tokens reach only the roles that use them, as ECS secrets
    statusEnvironment = status;
    statusSecrets = new TreeMap<>(Map.of("MC_DB_PASSWORD", dbPassword, "MC_API_TOKENS", Secret.fromSecretsManager(apiTokens)));
    Ec2TaskDefinition statusTask = task("status", status, statusSecrets, List.of(), image, data, 1024, 1536);
    Ec2TaskDefinition monitorTask = task("monitor", monitor, Map.of(), TaskPolicies.monitor(data.resourceLogs(), METRICS_NAMESPACE),
      image, data, 256, 768);
    Ec2TaskDefinition alertTask = task("alert", alert, Map.of("MC_DB_PASSWORD", dbPassword),
      TaskPolicies.alert(data.alerts(), data.key(), data.appLogs()), image, data, 512, 1024);
    Ec2TaskDefinition backupTask = task("backup", backup, Map.of("MC_DB_PASSWORD", dbPassword),
      TaskPolicies.backup(data.backups(), settings.backupPrefix(), data.key(), METRICS_NAMESPACE), image, data, 512, 1536);

    Ec2Service statusService = service("status", statusTask, network, privateSubnets, capacity, 2);
    statusService.attachToApplicationTargetGroup(edge.statusTargets());
    statusScaling = statusService.autoScaleTaskCount(EnableScalingProps.builder().minCapacity(2).maxCapacity(settings.statusMaxTasks()).build());
    statusScaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder().targetUtilizationPercent(60)
      .scaleOutCooldown(Duration.minutes(1)).scaleInCooldown(Duration.minutes(5)).build());
    statusScaling.scaleOnRequestCount("Requests", RequestCountScalingProps.builder().requestsPerTarget(1000)
      .targetGroup(edge.statusTargets()).scaleOutCooldown(Duration.minutes(1)).scaleInCooldown(Duration.minutes(5)).build());
    service("monitor", monitorTask, network, privateSubnets, null, 0);
    service("alert", alertTask, network, privateSubnets, capacity, 2);
    service("backup", backupTask, network, privateSubnets, capacity, 2);

    suppressions(settings.backupPrefix());
  }

  /**
   * What the ECS agent calls, as in AWS's AmazonEC2ContainerServiceforEC2Role but on this cluster only:
   * registering and reporting on the cluster, polling as one of its container instances. Image pulls
   * and container logs go through the execution role, not here.
   */
  /** The tag on every container instance, and its value. */
  public static final String HOST_TAG_KEY = "mission-control:host";
  public static final String HOST_TAG_VALUE = "ecs-container-instance";
  /** With ssm:UpdateInstanceInformation, what the SSM agent needs to take and answer Run Command (AmazonSSMManagedInstanceCore without State Manager, inventory or patching). */
  public static final List<String> SSM_AGENT_CHANNEL_ACTIONS = List.of("ssmmessages:CreateControlChannel",
    "ssmmessages:OpenControlChannel", "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
    "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply");

  private List<PolicyStatement> agentStatements() {
    String instancesOfCluster = "arn:" + Aws.PARTITION + ":ecs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":container-instance/"
      + cluster.getClusterName() + "/*";
    return List.of(
      TaskPolicies.allow(List.of("ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance", "ecs:SubmitContainerStateChange",
        "ecs:SubmitTaskStateChange", "ecs:SubmitAttachmentStateChanges"), List.of(cluster.getClusterArn())),
      TaskPolicies.allow(List.of("ecs:Poll", "ecs:StartTelemetrySession"), List.of(instancesOfCluster)),
      // DiscoverPollEndpoint has no resource type
      TaskPolicies.allow(List.of("ecs:DiscoverPollEndpoint"), List.of("*")),
      // the SSM agent (in the ECS-optimized image) taking Run Command, for the drill that stops the active
      // instance of a role (DrillsStack): it registers its own instance; its message channels have no resource type
      TaskPolicies.allow(List.of("ssm:UpdateInstanceInformation"),
        List.of("arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":instance/*")),
      TaskPolicies.allow(SSM_AGENT_CHANNEL_ACTIONS, List.of("*")));
  }

  private Ec2TaskDefinition task(String role, Map<String, String> environment, Map<String, Secret> secrets, List<PolicyStatement> calls,
                                 ContainerImage image, DataStack data, int cpu, int memoryMiB) {
    Role taskRole = Role.Builder.create(this, capitalized(role) + "TaskRole").assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
      .description("The " + role + " role's tasks: only the AWS calls that role makes.").build();
    calls.forEach(taskRole::addToPolicy);
    taskRoles.put(role, taskRole);
    Ec2TaskDefinition task = Ec2TaskDefinition.Builder.create(this, capitalized(role) + "Task").family("mission-control-" + role)
      .networkMode(NetworkMode.AWS_VPC).taskRole(taskRole).executionRole(executionRole).build();
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put("MC_ROLES", role);
    int port = role.equals("status") ? NetworkStack.SERVICE_PORT : NetworkStack.MANAGEMENT_PORT;
    task.addContainer(role, ContainerDefinitionOptions.builder()
      .image(image)
      .cpu(cpu)
      .memoryLimitMiB(memoryMiB)
      .environment(env)
      .secrets(secrets)
      .portMappings(List.of(PortMapping.builder().containerPort(port).build(),
        PortMapping.builder().containerPort(NetworkStack.HAZELCAST_PORT).build()))
      // the image's own check: /health/ready on the API port (status) or the management port
      .healthCheck(HealthCheck.builder().command(List.of("CMD", "/opt/mission-control/healthcheck.sh"))
        .interval(Duration.seconds(10)).timeout(Duration.seconds(5)).retries(3).startPeriod(Duration.seconds(60)).build())
      // as compose's stop_grace_period: the role finishes what it holds after SIGTERM
      .stopTimeout(EdgeStack.SHUTDOWN_GRACE)
      .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(data.appLogs()).streamPrefix(role)
        .mode(AwsLogDriverMode.NON_BLOCKING).maxBufferSize(software.amazon.awscdk.Size.mebibytes(4)).build()))
      .build());
    return task;
  }

  private Ec2Service service(String role, Ec2TaskDefinition task, NetworkStack network, SubnetSelection subnets,
                             AsgCapacityProvider capacity, int count) {
    Ec2Service.Builder service = Ec2Service.Builder.create(this, capitalized(role) + "Service")
      .serviceName("mission-control-" + role)
      .cluster(cluster)
      .taskDefinition(task)
      .securityGroups(List.of(network.serviceGroup()))
      .vpcSubnets(subnets)
      .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
      // by name: the alarms stack reads this stack's services, so it cannot be referenced from here
      .deploymentAlarms(DeploymentAlarmConfig.builder().alarmNames(AlarmsStack.deploymentAlarmNames(role))
        .behavior(AlarmBehavior.ROLLBACK_ON_ALARM).build())
      .cloudMapOptions(CloudMapOptions.builder().name(role).dnsRecordType(DnsRecordType.A).dnsTtl(Duration.seconds(10)).build());
    if (capacity == null) {
      // one monitor per instance, so each host is measured; ECS runs daemons without a capacity provider
      service.daemon(true).minHealthyPercent(0).maxHealthyPercent(100);
    } else {
      service.desiredCount(count).minHealthyPercent(50).maxHealthyPercent(200)
        .capacityProviderStrategies(List.of(CapacityProviderStrategy.builder().capacityProvider(capacity.getCapacityProviderName()).weight(1).build()))
        .placementStrategies(List.of(PlacementStrategy.spreadAcross(BuiltInAttributes.AVAILABILITY_ZONE)));
    }
    Ec2Service built = service.build();
    services.put(role, built);
    return built;
  }

  private void suppressions(String backupPrefix) {
    List<NagPackSuppression> env = List.of(DataStack.suppress("AwsSolutions-ECS2",
      "the environment holds names, ARNs, ports and the database URL without its password; the password and API tokens are ECS secrets"));
    taskRoles.keySet().forEach(role -> NagSuppressions.addResourceSuppressions(getNode().findChild(capitalized(role) + "Task"), env, true));

    NagSuppressions.addResourceSuppressions(instanceRole, List.of(wildcard(
      "ecs:DiscoverPollEndpoint and the SSM agent's message channels (ssmmessages, ec2messages) have no resource type (*); "
        + "ssm:UpdateInstanceInformation is on instances (an instance registers itself, its id unknown before); ecs:Poll and ecs:StartTelemetrySession are on this cluster's "
        + "container instances, whose ids exist only once an instance registers",
      "Resource::*", "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*",
      "Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/<"
        + Stack.of(this).resolve(((software.amazon.awscdk.CfnElement) cluster.getNode().getDefaultChild()).getLogicalId()) + ">/*")), true);
    NagSuppressions.addResourceSuppressions(executionRole, List.of(wildcard(
      "ecr:GetAuthorizationToken has no resource type; the image layers are pulled from the one repository by ARN", "Resource::*")), true);
    NagSuppressions.addResourceSuppressions(taskRoles.get("monitor"), List.of(wildcard(
      "cloudwatch:PutMetricData has no resource type; a condition holds it to the " + METRICS_NAMESPACE + " namespace", "Resource::*")), true);
    NagSuppressions.addResourceSuppressions(taskRoles.get("backup"), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
      .reason("the backup role writes, reads and deletes objects it names itself (a key per backup) under its prefix only; "
        + "cloudwatch:PutMetricData has no resource type and is held to the " + METRICS_NAMESPACE + " namespace by a condition")
      .appliesTo(List.of("Resource::*", RegexAppliesTo.builder().regex("/^Resource::.*" + backupPrefix.replaceAll("[.*+?^${}()|\\[\\]\\\\/]", "\\\\$0") + "\\*$/").build())).build()), true);
    NagSuppressions.addResourceSuppressions(instances, List.of(DataStack.suppress("AwsSolutions-AS3",
      "the group is scaled by the ECS capacity provider, not by people; what matters to operators, services running fewer tasks "
        + "than desired, is an alarm to the alert topic (AlarmsStack)")), true);
    NagSuppressions.addResourceSuppressions(apiTokens, List.of(DataStack.suppress("AwsSolutions-SMG4",
      "the status tasks read the tokens at start; a rotation is a new secret value and a new deployment of the status service, "
        + "which clients must be told of: done by an operator, not on a schedule")), true);
  }

  private static NagPackSuppression wildcard(String reason, String... findings) {
    return NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(List.of((Object[]) findings)).build();
  }

  private static String capitalized(String role) {
    return Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }

  public Cluster cluster() {
    return cluster;
  }

  public AutoScalingGroup instances() {
    return instances;
  }

  public Role instanceRole() {
    return instanceRole;
  }

  public Role executionRole() {
    return executionRole;
  }

  public Map<String, Role> taskRoles() {
    return taskRoles;
  }

  public Map<String, Ec2Service> services() {
    return services;
  }

  public ScalableTaskCount statusScaling() {
    return statusScaling;
  }

  public software.amazon.awscdk.services.secretsmanager.Secret apiTokens() {
    return apiTokens;
  }

  /** The image at mission:imageTag: what a service runs until the pipeline deploys a build. */
  public ContainerImage image() {
    return image;
  }

  /** The repository the services pull from: the registry stack's or the existing one mission:imageRepository names. */
  public IRepository images() {
    return images;
  }

  public AsgCapacityProvider capacity() {
    return capacity;
  }

  /** The status role's environment (without MC_ROLES) and secrets, for the pipeline's staging service. */
  public Map<String, String> statusEnvironment() {
    return statusEnvironment;
  }

  public Map<String, Secret> statusSecrets() {
    return statusSecrets;
  }
}
