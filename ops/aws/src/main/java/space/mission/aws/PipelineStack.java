package space.mission.aws;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.codebuild.BuildEnvironment;
import software.amazon.awscdk.services.codebuild.BuildEnvironmentVariable;
import software.amazon.awscdk.services.codebuild.BuildEnvironmentVariableType;
import software.amazon.awscdk.services.codebuild.BuildSpec;
import software.amazon.awscdk.services.codebuild.CloudWatchLoggingOptions;
import software.amazon.awscdk.services.codebuild.ComputeType;
import software.amazon.awscdk.services.codebuild.LinuxBuildImage;
import software.amazon.awscdk.services.codebuild.LoggingOptions;
import software.amazon.awscdk.services.codebuild.PipelineProject;
import software.amazon.awscdk.services.codebuild.ReportGroup;
import software.amazon.awscdk.services.codebuild.ReportGroupType;
import software.amazon.awscdk.services.codecommit.Repository;
import software.amazon.awscdk.services.codepipeline.Artifact;
import software.amazon.awscdk.services.codepipeline.IAction;
import software.amazon.awscdk.services.codepipeline.Pipeline;
import software.amazon.awscdk.services.codepipeline.PipelineType;
import software.amazon.awscdk.services.codepipeline.StageProps;
import software.amazon.awscdk.services.codepipeline.actions.CodeBuildAction;
import software.amazon.awscdk.services.codepipeline.actions.CodeCommitSourceAction;
import software.amazon.awscdk.services.codepipeline.actions.CodeStarConnectionsSourceAction;
import software.amazon.awscdk.services.codepipeline.actions.EcsDeployAction;
import software.amazon.awscdk.services.codepipeline.actions.ManualApprovalAction;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecs.AwsLogDriverMode;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.Ec2Service;
import software.amazon.awscdk.services.ecs.Ec2TaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.IBaseService;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.NetworkMode;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery pipeline: source (a CodeCommit repository it creates, or GitHub through a CodeStar
 * connection), then one CodeBuild project that tests ({@code bash .ci/run}), builds the image and
 * pushes it tagged with the commit, then a staging service that gets the image first and a CodeBuild
 * check through the load balancer, a manual approval, and the production services.
 *
 * <p>Staging is one status task of its own ({@code mission-control-staging}) in the production
 * cluster, on the production database, reached through the production load balancer by a header
 * ({@value #STAGE_HEADER}: staging): a canary of the new image against the real environment rather
 * than a copy of it. The services roll back by themselves (circuit breaker, deployment alarms).
 *
 * <p>Every role is ours with its statements spelled out: CDK's grants would add wildcard actions
 * ({@code s3:GetObject*}, {@code kms:ReEncrypt*}), so they are given roles that take no policy updates.
 */
public final class PipelineStack extends Stack {

  public static final String BUILD_PROJECT = "mission-control-build";
  public static final String VERIFY_PROJECT = "mission-control-verify";
  /** What CodeBuild names the report group of buildspec.yml's {@code reports: surefire} in the build project. */
  public static final String REPORT_GROUP = BUILD_PROJECT + "-surefire";
  public static final String STAGE_HEADER = "X-Mission-Stage";
  public static final String STAGING_SERVICE = "mission-control-staging";
  public static final String VERIFY_SCRIPT = "ops/verify-staging.sh";
  public static final String HOST_DEPLOY_PROJECT = "mission-control-host-deploy";

  private final Key key;
  private final Bucket artifacts;
  private final Repository repository;
  private final Role pipelineRole;
  private final Role buildRole;
  private final Role verifyRole;
  private final PipelineProject build;
  private final PipelineProject verify;
  private final ReportGroup reports;
  /** Null unless mission:pipelineHostTag is set. */
  private final PipelineProject hostDeploy;
  private final Role hostDeployRole;
  private final Ec2Service staging;
  private final Pipeline pipeline;

  public PipelineStack(Construct scope, String id, StackProps props, NetworkStack network, DataStack data, EdgeStack edge,
                       ServiceStack service, IRepository images, Settings settings) {
    super(scope, id, props);
    key = Key.Builder.create(this, "ArtifactKey").enableKeyRotation(true)
      .description("the pipeline's artifacts: sources, image definitions").removalPolicy(RemovalPolicy.DESTROY).build();
    artifacts = Bucket.Builder.create(this, "Artifacts")
      .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).enforceSsl(true)
      .encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true)
      .versioned(true)
      // an artifact is read within the run that wrote it; a month is plenty to look one up afterwards
      .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(30)).noncurrentVersionExpiration(Duration.days(1))
        .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
      .removalPolicy(RemovalPolicy.DESTROY).autoDeleteObjects(false).build();

    staging = staging(network, data, edge, service);

    pipelineRole = Role.Builder.create(this, "PipelineRole").assumedBy(new ServicePrincipal("codepipeline.amazonaws.com"))
      .description("CodePipeline: its artifacts, the source, starting the two CodeBuild projects, deploying the ECS services").build();
    buildRole = Role.Builder.create(this, "BuildRole").assumedBy(new ServicePrincipal("codebuild.amazonaws.com"))
      .description("The build: its logs and test reports, the artifacts, pushing the image to the one repository").build();
    verifyRole = Role.Builder.create(this, "VerifyRole").assumedBy(new ServicePrincipal("codebuild.amazonaws.com"))
      .description("The staging check: its logs, the source artifact, the API token it writes with").build();

    LogGroup buildLogs = LogGroup.Builder.create(this, "BuildLogs").logGroupName("/mission-control/pipeline/build")
      .retention(DataStack.retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.DESTROY).build();
    LogGroup verifyLogs = LogGroup.Builder.create(this, "VerifyLogs").logGroupName("/mission-control/pipeline/verify")
      .retention(DataStack.retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.DESTROY).build();
    reports = ReportGroup.Builder.create(this, "TestReports").reportGroupName(REPORT_GROUP).type(ReportGroupType.TEST)
      .removalPolicy(RemovalPolicy.DESTROY).build();

    Artifact source = new Artifact("Source");
    Artifact imageDefinitions = new Artifact("ImageDefinitions");
    IAction sourceAction;
    String commit;
    if (settings.usesConnection()) {
      String[] ownerRepo = settings.pipelineRepository().split("/", 2);
      repository = null;
      CodeStarConnectionsSourceAction github = CodeStarConnectionsSourceAction.Builder.create().actionName("GitHub")
        .connectionArn(settings.pipelineConnectionArn()).owner(ownerRepo[0]).repo(ownerRepo[1]).branch(settings.pipelineBranch())
        .output(source).build();
      sourceAction = github;
      commit = github.getVariables().getCommitId();
    } else {
      repository = Repository.Builder.create(this, "Source").repositoryName("mission-control")
        .description("Mission Control: every push to " + settings.pipelineBranch() + " runs the pipeline").build();
      CodeCommitSourceAction codecommit = CodeCommitSourceAction.Builder.create().actionName("CodeCommit")
        .repository(repository).branch(settings.pipelineBranch()).output(source).build();
      sourceAction = codecommit;
      commit = codecommit.getVariables().getCommitId();
    }

    build = PipelineProject.Builder.create(this, "Build").projectName(BUILD_PROJECT)
      .description("bash .ci/run, then the image: built from the Dockerfile, tagged with the commit, pushed to ECR")
      .buildSpec(BuildSpec.fromSourceFilename("buildspec.yml"))
      // docker build needs the privileged mode (a Docker daemon in the build container); the verify step does not
      .environment(BuildEnvironment.builder().buildImage(LinuxBuildImage.STANDARD_7_0).computeType(ComputeType.LARGE)
        .privileged(true).build())
      .environmentVariables(new LinkedHashMap<>(Map.of("ECR_REPOSITORY_URI", plain(images.getRepositoryUri()))))
      .encryptionKey(key).role(buildRole.withoutPolicyUpdates())
      .logging(LoggingOptions.builder().cloudWatch(CloudWatchLoggingOptions.builder().logGroup(buildLogs).build()).build())
      .timeout(Duration.minutes(60)).build();
    verify = PipelineProject.Builder.create(this, "Verify").projectName(VERIFY_PROJECT)
      .description("the staging service through the load balancer: /health/ready, then a status update recorded and read back")
      .buildSpec(BuildSpec.fromObject(Map.of("version", "0.2",
        "phases", Map.of("build", Map.of("commands", List.of("bash " + VERIFY_SCRIPT))))))
      .environment(BuildEnvironment.builder().buildImage(LinuxBuildImage.STANDARD_7_0).computeType(ComputeType.SMALL).build())
      .environmentVariables(verifyEnvironment(edge, service))
      .encryptionKey(key).role(verifyRole.withoutPolicyUpdates())
      .logging(LoggingOptions.builder().cloudWatch(CloudWatchLoggingOptions.builder().logGroup(verifyLogs).build()).build())
      .timeout(Duration.minutes(10)).build();

    List<IAction> production = new ArrayList<>();
    service.services().forEach((role, ecsService) -> production.add(deploy(capitalized(role), ecsService, imageDefinitions, 1)));
    if (settings.deploysHosts()) {
      hostDeployRole = Role.Builder.create(this, "HostDeployRole").assumedBy(new ServicePrincipal("codebuild.amazonaws.com"))
        .description("The compose hosts' deploy: ops/deploy.sh on the tagged instances through SSM Run Command, and waiting for it").build();
      LogGroup hostLogs = LogGroup.Builder.create(this, "HostDeployLogs").logGroupName("/mission-control/pipeline/host-deploy")
        .retention(DataStack.retention(settings.logRetentionDays())).removalPolicy(RemovalPolicy.DESTROY).build();
      hostDeploy = PipelineProject.Builder.create(this, "HostDeploy").projectName(HOST_DEPLOY_PROJECT)
        .description("ops/deploy-ssm.sh: ops/deploy.sh --aws on every host tagged " + settings.pipelineHostTag()
          + " (each host rolls back to its previous image when the new one does not get healthy)")
        .buildSpec(BuildSpec.fromObject(Map.of("version", "0.2", "phases", Map.of("build", Map.of("commands", List.of(
          "bash ops/deploy-ssm.sh --tag \"$MC_HOST_TAG\" -- --aws --branch \"$MC_HOST_BRANCH\""))))))
        .environment(BuildEnvironment.builder().buildImage(LinuxBuildImage.STANDARD_7_0).computeType(ComputeType.SMALL).build())
        .environmentVariables(hostEnvironment(settings))
        .encryptionKey(key).role(hostDeployRole.withoutPolicyUpdates())
        .logging(LoggingOptions.builder().cloudWatch(CloudWatchLoggingOptions.builder().logGroup(hostLogs).build()).build())
        .timeout(Duration.minutes(20)).build();
      production.add(CodeBuildAction.Builder.create().actionName("Hosts").project(hostDeploy).input(source).runOrder(1).build());
      hostStatements(settings.pipelineHostTag(), hostLogs);
    } else {
      hostDeploy = null;
      hostDeployRole = null;
    }
    pipeline = Pipeline.Builder.create(this, "Pipeline").pipelineName("mission-control")
      .pipelineType(PipelineType.V2).artifactBucket(artifacts).role(pipelineRole.withoutPolicyUpdates())
      // the pipeline's role runs every action itself: no role per action for it to assume
      .usePipelineRoleForActions(true).restartExecutionOnUpdate(false)
      .stages(List.of(
        stage("Source", sourceAction),
        stage("Build", CodeBuildAction.Builder.create().actionName("TestAndImage").project(build).input(source)
          .outputs(List.of(imageDefinitions))
          .environmentVariables(Map.of("COMMIT_ID", plain(commit))).build()),
        stage("Staging", deploy("Staging", staging, imageDefinitions, 1),
          CodeBuildAction.Builder.create().actionName("Verify").project(verify).input(source).runOrder(2).build()),
        stage("Approval", ManualApprovalAction.Builder.create().actionName("Promote")
          .additionalInformation("Staging passed /health/ready and a status round trip through the load balancer. "
            + "Approve to roll the image out to the production services.")
          .externalEntityLink(edge.publicUrl()).build()),
        stage("Production", production.toArray(IAction[]::new))))
      .build();

    statements(settings, service, images, buildLogs, verifyLogs);
    outputs();
    suppressions();
  }

  /**
   * One status task of the new image, behind the production load balancer: a rule on its HTTPS
   * listener sends requests with {@value #STAGE_HEADER}: staging to it, everything else to production.
   */
  private Ec2Service staging(NetworkStack network, DataStack data, EdgeStack edge, ServiceStack service) {
    Ec2TaskDefinition task = Ec2TaskDefinition.Builder.create(this, "StagingTask").family(STAGING_SERVICE)
      .networkMode(NetworkMode.AWS_VPC).build();
    Map<String, String> environment = new LinkedHashMap<>(service.statusEnvironment());
    environment.put("MC_ROLES", "status");
    // the container's name is the production status container's: one imagedefinitions.json serves both
    task.addContainer("status", ContainerDefinitionOptions.builder()
      .image(service.image()).cpu(512).memoryLimitMiB(1024)
      .environment(environment).secrets(service.statusSecrets())
      .portMappings(List.of(PortMapping.builder().containerPort(NetworkStack.SERVICE_PORT).build(),
        PortMapping.builder().containerPort(NetworkStack.HAZELCAST_PORT).build()))
      .healthCheck(HealthCheck.builder().command(List.of("CMD", "/opt/mission-control/healthcheck.sh"))
        .interval(Duration.seconds(10)).timeout(Duration.seconds(5)).retries(3).startPeriod(Duration.seconds(60)).build())
      .stopTimeout(EdgeStack.SHUTDOWN_GRACE)
      .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(data.appLogs()).streamPrefix("staging")
        .mode(AwsLogDriverMode.NON_BLOCKING).maxBufferSize(software.amazon.awscdk.Size.mebibytes(4)).build()))
      .build());
    Ec2Service stagingService = Ec2Service.Builder.create(this, "StagingService").serviceName(STAGING_SERVICE)
      .cluster(service.cluster()).taskDefinition(task).desiredCount(1).minHealthyPercent(0).maxHealthyPercent(100)
      .securityGroups(List.of(network.serviceGroup()))
      .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
      .capacityProviderStrategies(List.of(CapacityProviderStrategy.builder()
        .capacityProvider(service.capacity().getCapacityProviderName()).weight(1).build()))
      .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
      .build();
    ApplicationTargetGroup targets = ApplicationTargetGroup.Builder.create(this, "StagingTargets").vpc(network.vpc())
      .targetType(TargetType.IP).protocol(ApplicationProtocol.HTTP).port(NetworkStack.SERVICE_PORT)
      .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder().path(EdgeStack.HEALTH_PATH)
        .healthyHttpCodes("200").interval(Duration.seconds(10)).timeout(Duration.seconds(5))
        .healthyThresholdCount(2).unhealthyThresholdCount(3).build())
      .deregistrationDelay(EdgeStack.SHUTDOWN_GRACE).build();
    ApplicationListenerRule.Builder.create(this, "StagingRule").listener(edge.https()).priority(10)
      .conditions(List.of(ListenerCondition.httpHeader(STAGE_HEADER, List.of("staging"))))
      .action(ListenerAction.forward(List.of(targets))).build();
    stagingService.attachToApplicationTargetGroup(targets);
    return stagingService;
  }

  private static Map<String, BuildEnvironmentVariable> hostEnvironment(Settings settings) {
    // insertion-ordered: Map.of's order changes from one JVM to the next, and with it the template
    Map<String, BuildEnvironmentVariable> environment = new LinkedHashMap<>();
    environment.put("MC_HOST_TAG", plain(settings.pipelineHostTag()));
    environment.put("MC_HOST_BRANCH", plain(settings.pipelineBranch()));
    return environment;
  }

  private Map<String, BuildEnvironmentVariable> verifyEnvironment(EdgeStack edge, ServiceStack service) {
    Map<String, BuildEnvironmentVariable> environment = new LinkedHashMap<>();
    environment.put("MC_VERIFY_URL", plain(edge.publicUrl()));
    environment.put("MC_VERIFY_HEADER", plain(STAGE_HEADER + ": staging"));
    // a value CodeBuild reads from Secrets Manager when the build starts, never written into the project
    environment.put("MC_VERIFY_TOKEN", BuildEnvironmentVariable.builder().type(BuildEnvironmentVariableType.SECRETS_MANAGER)
      .value(service.apiTokens().getSecretArn()).build());
    return environment;
  }

  /**
   * The services take the image from imagedefinitions.json (ECS's standard deploy action: a new revision
   * of the task definition, the service rolled to it); a rollout that fails is undone by the service.
   */
  private static EcsDeployAction deploy(String name, IBaseService service, Artifact imageDefinitions, int runOrder) {
    return EcsDeployAction.Builder.create().actionName(name).service(service).input(imageDefinitions)
      .deploymentTimeout(Duration.minutes(30)).runOrder(runOrder).build();
  }

  private static StageProps stage(String name, IAction... actions) {
    return StageProps.builder().stageName(name).actions(List.of(actions)).build();
  }

  private void statements(Settings settings, ServiceStack service, IRepository images,
                          LogGroup buildLogs, LogGroup verifyLogs) {
    List<String> allServices = new ArrayList<>();
    service.services().values().forEach(s -> allServices.add(s.getServiceArn()));
    allServices.add(staging.getServiceArn());
    List<String> passed = new ArrayList<>();
    passed.add(service.executionRole().getRoleArn());
    service.taskRoles().values().forEach(r -> passed.add(r.getRoleArn()));
    passed.add(staging.getTaskDefinition().obtainExecutionRole().getRoleArn());
    passed.add(staging.getTaskDefinition().getTaskRole().getRoleArn());

    // the pipeline
    artifactAccess(pipelineRole, true);
    if (repository != null) {
      pipelineRole.addToPolicy(TaskPolicies.allow(List.of("codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive",
        "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"), List.of(repository.getRepositoryArn())));
    } else {
      pipelineRole.addToPolicy(TaskPolicies.allow(List.of("codestar-connections:UseConnection"), List.of(settings.pipelineConnectionArn())));
    }
    List<String> projects = new ArrayList<>(List.of(build.getProjectArn(), verify.getProjectArn()));
    if (hostDeploy != null) {
      projects.add(hostDeploy.getProjectArn());
    }
    pipelineRole.addToPolicy(TaskPolicies.allow(List.of("codebuild:StartBuild", "codebuild:BatchGetBuilds"), projects));
    pipelineRole.addToPolicy(TaskPolicies.allow(List.of("ecs:DescribeServices", "ecs:UpdateService"), allServices));
    // the deploy action reads the service's task definition and registers its next revision: neither call has a resource type
    pipelineRole.addToPolicy(TaskPolicies.allow(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), List.of("*")));
    pipelineRole.addToPolicy(TaskPolicies.allow(List.of("ecs:TagResource"),
      List.of("arn:" + Aws.PARTITION + ":ecs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":task-definition/mission-control-*")));
    pipelineRole.addToPolicy(PolicyStatement.Builder.create().actions(List.of("iam:PassRole")).resources(passed)
      .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com"))).build());

    // the build
    logs(buildRole, buildLogs);
    artifactAccess(buildRole, true);
    buildRole.addToPolicy(TaskPolicies.allow(List.of("codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"),
      List.of(reports.getReportGroupArn())));
    // an authorization token is for the registry, not a repository: no resource type
    buildRole.addToPolicy(TaskPolicies.allow(List.of("ecr:GetAuthorizationToken"), List.of("*")));
    buildRole.addToPolicy(TaskPolicies.allow(List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:DescribeImages"), List.of(images.getRepositoryArn())));

    // the check
    logs(verifyRole, verifyLogs);
    artifactAccess(verifyRole, false);
    verifyRole.addToPolicy(TaskPolicies.allow(List.of("secretsmanager:GetSecretValue"), List.of(service.apiTokens().getSecretArn())));
  }

  /**
   * Run Command on the tagged instances only (SendCommand is checked against the document and each
   * instance, the tag as a condition), then reading how it went: neither read has a resource type.
   */
  private void hostStatements(String tag, LogGroup hostLogs) {
    logs(hostDeployRole, hostLogs);
    artifactAccess(hostDeployRole, false);
    String region = "arn:" + Aws.PARTITION + ":ssm:" + Aws.REGION + ":";
    hostDeployRole.addToPolicy(TaskPolicies.allow(List.of("ssm:SendCommand"), List.of(region + ":document/AWS-RunShellScript")));
    hostDeployRole.addToPolicy(PolicyStatement.Builder.create().actions(List.of("ssm:SendCommand"))
      .resources(List.of("arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":instance/*"))
      .conditions(Map.of("StringEquals", Map.of("ssm:resourceTag/" + tag.substring(0, tag.indexOf('=')), tag.substring(tag.indexOf('=') + 1))))
      .build());
    hostDeployRole.addToPolicy(TaskPolicies.allow(List.of("ssm:ListCommandInvocations", "ssm:GetCommandInvocation"), List.of("*")));
  }

  private void artifactAccess(Role role, boolean writes) {
    List<String> objects = writes ? List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject") : List.of("s3:GetObject", "s3:GetObjectVersion");
    role.addToPolicy(TaskPolicies.allow(objects, List.of(artifacts.arnForObjects("*"))));
    role.addToPolicy(TaskPolicies.allow(List.of("s3:GetBucketLocation", "s3:GetBucketVersioning"), List.of(artifacts.getBucketArn())));
    role.addToPolicy(TaskPolicies.allow(writes ? List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey") : List.of("kms:Decrypt"),
      List.of(key.getKeyArn())));
  }

  private static void logs(Role role, LogGroup group) {
    role.addToPolicy(TaskPolicies.allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
      List.of(group.getLogGroupArn())));
  }

  private void outputs() {
    if (repository != null) {
      CfnOutput.Builder.create(this, "SourceRepository").value(repository.getRepositoryCloneUrlGrc())
        .description("git remote add aws <this>; git push aws main starts the pipeline").build();
    }
    CfnOutput.Builder.create(this, "PipelineName").value(pipeline.getPipelineName())
      .description("aws codepipeline get-pipeline-state --name <this>").build();
  }

  private void suppressions() {
    NagSuppressions.addResourceSuppressions(pipelineRole, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
      .reason("ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition have no resource type; tags go on our families' revisions "
        + "(mission-control-*), whose revision numbers exist only once registered; the artifacts are the objects of the pipeline's own bucket")
      .appliesTo(List.of("Resource::*",
        "Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition/mission-control-*",
        "Resource::<" + artifactsId() + ".Arn>/*")).build()), true);
    NagSuppressions.addResourceSuppressions(buildRole, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
      .reason("ecr:GetAuthorizationToken has no resource type (the push itself is on the one repository); the artifacts are the "
        + "objects of the pipeline's own bucket")
      .appliesTo(List.of("Resource::*", "Resource::<" + artifactsId() + ".Arn>/*")).build()), true);
    NagSuppressions.addResourceSuppressions(verifyRole, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
      .reason("the source artifact is one of the objects of the pipeline's own bucket, named per run")
      .appliesTo(List.of("Resource::<" + artifactsId() + ".Arn>/*")).build()), true);
    if (hostDeployRole != null) {
      NagSuppressions.addResourceSuppressions(hostDeployRole, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
        .reason("Run Command goes to instances by tag: any instance id, held by a condition to those carrying the tag; "
          + "ssm:ListCommandInvocations and ssm:GetCommandInvocation have no resource type; the source artifact is an object of the pipeline's bucket")
        .appliesTo(List.of("Resource::*", "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*",
          "Resource::<" + artifactsId() + ".Arn>/*")).build()), true);
    }
    NagSuppressions.addResourceSuppressions(artifacts, List.of(DataStack.suppress("AwsSolutions-S1",
      "the pipeline's artifacts are written and read by the pipeline's and builds' roles only; CloudTrail records those calls")), true);
    NagSuppressions.addResourceSuppressions(staging.getTaskDefinition(), List.of(DataStack.suppress("AwsSolutions-ECS2",
      "the status role's environment: names, ports and the database URL without its password; the password and tokens are ECS secrets")), true);
    NagSuppressions.addResourceSuppressions(staging.getTaskDefinition().obtainExecutionRole(), List.of(NagPackSuppression.builder()
      .id("AwsSolutions-IAM5").reason("ecr:GetAuthorizationToken has no resource type; the image is pulled from the one repository by ARN")
      .appliesTo(List.of("Resource::*")).build()), true);
  }

  private static BuildEnvironmentVariable plain(String value) {
    return BuildEnvironmentVariable.builder().type(BuildEnvironmentVariableType.PLAINTEXT).value(value).build();
  }

  private static String capitalized(String role) {
    return Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }

  public Key key() {
    return key;
  }

  public Bucket artifacts() {
    return artifacts;
  }

  /** Null when the source is a CodeStar connection. */
  public Repository repository() {
    return repository;
  }

  public Role pipelineRole() {
    return pipelineRole;
  }

  public Role buildRole() {
    return buildRole;
  }

  public Role verifyRole() {
    return verifyRole;
  }

  public PipelineProject build() {
    return build;
  }

  public PipelineProject verify() {
    return verify;
  }

  public PipelineProject hostDeploy() {
    return hostDeploy;
  }

  public Role hostDeployRole() {
    return hostDeployRole;
  }

  public ReportGroup reports() {
    return reports;
  }

  public Ec2Service staging() {
    return staging;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The artifact bucket's logical id, as cdk-nag's findings name it. */
  private String artifactsId() {
    return resolve(((software.amazon.awscdk.CfnElement) artifacts.getNode().getDefaultChild()).getLogicalId()).toString();
  }
}
