package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.aws.Synthesis.allow;
import static space.mission.aws.Synthesis.in;
import static space.mission.aws.Synthesis.logicalId;
import static space.mission.aws.Synthesis.properties;
import static space.mission.aws.Synthesis.statements;

class PipelineStackTest {

  static final String CONNECTION = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0f1e2d3c-aaaa-bbbb-cccc-000000000002";

  static MissionControlApp env;
  static PipelineStack stack;
  static Template pipeline;

  @BeforeAll
  static void synthesize() {
    env = Synthesis.get().env;
    stack = env.pipeline;
    pipeline = Synthesis.get().pipeline;
  }

  private static Object ref(Object token) {
    return in(stack, token);
  }

  private static Map<String, Object> getAtt(String id, String attribute) {
    return Map.of("Fn::GetAtt", List.of(id, attribute));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> stages(Template template) {
    return (List<Map<String, Object>>) properties(template.findResources("AWS::CodePipeline::Pipeline").values().iterator().next()).get("Stages");
  }

  /** stage name -> its actions as "name provider runOrder" */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> layout(Template template) {
    Map<String, List<String>> layout = new LinkedHashMap<>();
    stages(template).forEach(stage -> layout.put((String) stage.get("Name"), ((List<Map<String, Object>>) stage.get("Actions")).stream()
      .map(action -> action.get("Name") + " " + ((Map<String, Object>) action.get("ActionTypeId")).get("Provider") + " " + action.get("RunOrder"))
      .toList()));
    return layout;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> action(Template template, String stage, String name) {
    return stages(template).stream().filter(s -> s.get("Name").equals(stage))
      .flatMap(s -> ((List<Map<String, Object>>) s.get("Actions")).stream()).filter(a -> a.get("Name").equals(name)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("stages in order: source, test and image, staging then its check, a manual approval, the four production services")
  void stages() {
    assertThat(layout(pipeline)).containsExactly(
      Map.entry("Source", List.of("CodeCommit CodeCommit 1")),
      Map.entry("Build", List.of("TestAndImage CodeBuild 1")),
      Map.entry("Staging", List.of("Staging ECS 1", "Verify CodeBuild 2")),
      Map.entry("Approval", List.of("Promote Manual 1")),
      Map.entry("Production", List.of("Status ECS 1", "Monitor ECS 1", "Alert ECS 1", "Backup ECS 1")));
    // every action runs as the pipeline's role: no per-action role for it to assume
    stages(pipeline).forEach(stage -> assertThat(stage.toString()).doesNotContain("RoleArn"));
  }

  @Test
  @DisplayName("each action's wiring: the commit into the build, image definitions into every deploy, the source into the check")
  @SuppressWarnings("unchecked")
  void actions() {
    Map<String, Object> source = action(pipeline, "Source", "CodeCommit");
    assertThat((Map<String, Object>) source.get("Configuration")).containsEntry("BranchName", "main").containsEntry("PollForSourceChanges", false)
      .containsEntry("RepositoryName", getAtt(logicalId(stack.repository()), "Name"));
    assertThat(source.get("OutputArtifacts")).isEqualTo(List.of(Map.of("Name", "Source")));

    Map<String, Object> build = action(pipeline, "Build", "TestAndImage");
    assertThat((Map<String, Object>) build.get("Configuration")).containsEntry("ProjectName", Map.of("Ref", logicalId(stack.build())))
      .containsEntry("EnvironmentVariables", "[{\"name\":\"COMMIT_ID\",\"type\":\"PLAINTEXT\",\"value\":\"#{Source_CodeCommit_NS.CommitId}\"}]");
    assertThat(build.get("InputArtifacts")).isEqualTo(List.of(Map.of("Name", "Source")));
    assertThat(build.get("OutputArtifacts")).isEqualTo(List.of(Map.of("Name", "ImageDefinitions")));

    Object cluster = ref(env.service.cluster().getClusterName());
    assertThat(action(pipeline, "Staging", "Staging").get("Configuration")).isEqualTo(Map.of("ClusterName", cluster,
      "ServiceName", getAtt(logicalId(stack.staging()), "Name"), "DeploymentTimeout", 30));
    env.service.services().forEach((role, service) -> {
      Map<String, Object> deploy = action(pipeline, "Production", Character.toUpperCase(role.charAt(0)) + role.substring(1));
      assertThat(deploy.get("Configuration")).as(role).isEqualTo(Map.of("ClusterName", cluster,
        "ServiceName", ref(service.getServiceName()), "DeploymentTimeout", 30));
      assertThat(deploy.get("InputArtifacts")).as(role).isEqualTo(List.of(Map.of("Name", "ImageDefinitions")));
    });
    assertThat(action(pipeline, "Staging", "Staging").get("InputArtifacts")).isEqualTo(List.of(Map.of("Name", "ImageDefinitions")));

    Map<String, Object> verify = action(pipeline, "Staging", "Verify");
    assertThat(verify.get("Configuration")).isEqualTo(Map.of("ProjectName", Map.of("Ref", logicalId(stack.verify()))));
    assertThat(verify.get("InputArtifacts")).isEqualTo(List.of(Map.of("Name", "Source")));

    assertThat((Map<String, Object>) action(pipeline, "Approval", "Promote").get("Configuration"))
      .containsEntry("ExternalEntityLink", "https://mission.example").containsKey("CustomData");
  }

  @Test
  @DisplayName("artifacts: a versioned bucket, public access blocked, TLS only, SSE-KMS with our rotating key, which also encrypts the builds")
  void artifacts() {
    String key = logicalId(stack.key());
    pipeline.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
    pipeline.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
      "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
      "VersioningConfiguration", Map.of("Status", "Enabled"),
      "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of("BucketKeyEnabled", true,
        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID", getAtt(key, "Arn"))))))));
    pipeline.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of("Statement",
      Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    pipeline.hasResourceProperties("AWS::CodePipeline::Pipeline", Match.objectLike(Map.of("PipelineType", "V2",
      "ArtifactStore", Map.of("Type", "S3", "Location", Map.of("Ref", logicalId(stack.artifacts())),
        "EncryptionKey", Map.of("Type", "KMS", "Id", getAtt(key, "Arn"))))));
    pipeline.resourceCountIs("AWS::CodeBuild::Project", 2);
    pipeline.allResourcesProperties("AWS::CodeBuild::Project", Match.objectLike(Map.of("EncryptionKey", getAtt(key, "Arn"))));
  }

  @Test
  @DisplayName("the build runs the root buildspec.yml, privileged (docker build), with the repository's URI; the check runs the staging script, unprivileged, the token from Secrets Manager")
  void projects() {
    pipeline.hasResourceProperties("AWS::CodeBuild::Project", Match.objectLike(Map.of("Name", "mission-control-build",
      "Source", Map.of("Type", "CODEPIPELINE", "BuildSpec", "buildspec.yml"),
      "ServiceRole", getAtt(logicalId(stack.buildRole()), "Arn"),
      "Environment", Match.objectLike(Map.of("PrivilegedMode", true, "Image", "aws/codebuild/standard:7.0",
        "EnvironmentVariables", List.of(Map.of("Name", "ECR_REPOSITORY_URI", "Type", "PLAINTEXT",
          "Value", ref(env.registry.repository().getRepositoryUri()))))))));
    pipeline.hasResourceProperties("AWS::CodeBuild::Project", Match.objectLike(Map.of("Name", "mission-control-verify",
      "Source", Map.of("Type", "CODEPIPELINE", "BuildSpec", Match.stringLikeRegexp(".*bash ops/verify-staging\\.sh.*")),
      "ServiceRole", getAtt(logicalId(stack.verifyRole()), "Arn"),
      "Environment", Match.objectLike(Map.of("PrivilegedMode", false, "EnvironmentVariables", List.of(
        Map.of("Name", "MC_VERIFY_URL", "Type", "PLAINTEXT", "Value", "https://mission.example"),
        Map.of("Name", "MC_VERIFY_HEADER", "Type", "PLAINTEXT", "Value", "X-Mission-Stage: staging"),
        Map.of("Name", "MC_VERIFY_TOKEN", "Type", "SECRETS_MANAGER", "Value", ref(env.service.apiTokens().getSecretArn()))))))));
    // buildspec.yml's "reports: surefire" is this group, by the name CodeBuild derives
    pipeline.hasResourceProperties("AWS::CodeBuild::ReportGroup", Match.objectLike(Map.of("Name", "mission-control-build-surefire", "Type", "TEST")));
  }

  @Test
  @DisplayName("the pipeline's role: its artifacts, the source repository, starting the two builds, the five services, passing only the tasks' roles to ECS")
  void pipelineRole() {
    String bucket = logicalId(stack.artifacts());
    List<Object> services = new ArrayList<>();
    env.service.services().values().forEach(s -> services.add(ref(s.getServiceArn())));
    services.add(Map.of("Ref", logicalId(stack.staging())));
    List<Object> passed = new ArrayList<>();
    passed.add(ref(env.service.executionRole().getRoleArn()));
    env.service.taskRoles().values().forEach(r -> passed.add(ref(r.getRoleArn())));
    passed.add(getAtt(logicalId(stack.staging().getTaskDefinition().obtainExecutionRole()), "Arn"));
    passed.add(getAtt(logicalId(stack.staging().getTaskDefinition().getTaskRole()), "Arn"));
    assertThat(statements(pipeline, logicalId(stack.pipelineRole()))).containsExactly(
      allow(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"), Map.of("Fn::Join", List.of("", List.of(getAtt(bucket, "Arn"), "/*")))),
      allow(List.of("s3:GetBucketLocation", "s3:GetBucketVersioning"), getAtt(bucket, "Arn")),
      allow(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"), getAtt(logicalId(stack.key()), "Arn")),
      allow(List.of("codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive", "codecommit:GetUploadArchiveStatus",
        "codecommit:CancelUploadArchive"), getAtt(logicalId(stack.repository()), "Arn")),
      allow(List.of("codebuild:StartBuild", "codebuild:BatchGetBuilds"), List.of(getAtt(logicalId(stack.build()), "Arn"),
        getAtt(logicalId(stack.verify()), "Arn"))),
      allow(List.of("ecs:DescribeServices", "ecs:UpdateService"), services),
      allow(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), "*"),
      allow("ecs:TagResource", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":ecs:",
        Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":task-definition/mission-control-*")))),
      allow("iam:PassRole", passed, Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com"))));
    pipeline.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of("AssumeRolePolicyDocument", Map.of("Version", "2012-10-17",
      "Statement", List.of(Map.of("Action", "sts:AssumeRole", "Effect", "Allow", "Principal", Map.of("Service", "codepipeline.amazonaws.com")))))));
  }

  @Test
  @DisplayName("the build's role: its log group, the artifacts, its report group, pushing to the one repository")
  void buildRole() {
    String bucket = logicalId(stack.artifacts());
    assertThat(statements(pipeline, logicalId(stack.buildRole()))).containsExactly(
      allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), getAtt(logicalId(stack.getNode().findChild("BuildLogs")), "Arn")),
      allow(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"), Map.of("Fn::Join", List.of("", List.of(getAtt(bucket, "Arn"), "/*")))),
      allow(List.of("s3:GetBucketLocation", "s3:GetBucketVersioning"), getAtt(bucket, "Arn")),
      allow(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"), getAtt(logicalId(stack.key()), "Arn")),
      allow(List.of("codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"), getAtt(logicalId(stack.reports()), "Arn")),
      allow("ecr:GetAuthorizationToken", "*"),
      allow(List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:DescribeImages"), ref(env.registry.repository().getRepositoryArn())));
  }

  @Test
  @DisplayName("the check's role: its log group, reading the source artifact, the API token; nothing else")
  void verifyRole() {
    String bucket = logicalId(stack.artifacts());
    assertThat(statements(pipeline, logicalId(stack.verifyRole()))).containsExactly(
      allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), getAtt(logicalId(stack.getNode().findChild("VerifyLogs")), "Arn")),
      allow(List.of("s3:GetObject", "s3:GetObjectVersion"), Map.of("Fn::Join", List.of("", List.of(getAtt(bucket, "Arn"), "/*")))),
      allow(List.of("s3:GetBucketLocation", "s3:GetBucketVersioning"), getAtt(bucket, "Arn")),
      allow("kms:Decrypt", getAtt(logicalId(stack.key()), "Arn")),
      allow("secretsmanager:GetSecretValue", ref(env.service.apiTokens().getSecretArn())));
  }

  @Test
  @DisplayName("the other roles: the staging task's execution role pulls the one repository, writes the app log group, reads its two secrets; the events rule only starts this pipeline")
  void otherRoles() {
    assertThat(pipeline.findResources("AWS::IAM::Role")).hasSize(6);
    assertThat(statements(pipeline, logicalId(stack.staging().getTaskDefinition().obtainExecutionRole()))).containsExactly(
      allow(List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"), ref(env.registry.repository().getRepositoryArn())),
      allow("ecr:GetAuthorizationToken", "*"),
      allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), ref(env.data.appLogs().getLogGroupArn())),
      allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), ref(env.service.apiTokens().getSecretArn())),
      allow(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), ref(env.data.database().getSecret().getSecretArn())));
    assertThat(statements(pipeline, logicalId(stack.staging().getTaskDefinition().getTaskRole()))).isEmpty();
    String events = pipeline.findResources("AWS::IAM::Role", Match.objectLike(Map.of("Properties", Map.of("AssumeRolePolicyDocument",
      Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of("Principal", Map.of("Service", "events.amazonaws.com")))))))))).keySet()
      .iterator().next();
    assertThat(statements(pipeline, events)).containsExactly(allow("codepipeline:StartPipelineExecution", Map.of("Fn::Join", List.of("",
      List.of("arn:", Map.of("Ref", "AWS::Partition"), ":codepipeline:us-east-1:", Map.of("Ref", "AWS::AccountId"), ":",
        Map.of("Ref", logicalId(stack.pipeline())))))));
  }

  @Test
  @DisplayName("staging: one status task of the image in the production cluster, reached through the HTTPS listener by its header, healthy on /health/ready, rolled back by the circuit breaker")
  void staging() {
    pipeline.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of("ServiceName", "mission-control-staging",
      "Cluster", ref(env.service.cluster().getClusterName()), "DesiredCount", 1,
      "DeploymentConfiguration", Match.objectLike(Map.of("DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true))),
      "LoadBalancers", List.of(Map.of("ContainerName", "status", "ContainerPort", 8080,
        "TargetGroupArn", Map.of("Ref", logicalId(stack.getNode().findChild("StagingTargets"))))))));
    pipeline.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Family", "mission-control-staging",
      "ContainerDefinitions", List.of(Match.objectLike(Map.of("Name", "status",
        "Environment", Match.arrayWith(List.of(Map.of("Name", "MC_ROLES", "Value", "status"))),
        "Secrets", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "MC_API_TOKENS")), Match.objectLike(Map.of("Name", "MC_DB_PASSWORD"))))))))));
    pipeline.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Map.of("ListenerArn", ref(env.edge.https().getListenerArn()),
      "Priority", 10,
      "Conditions", List.of(Map.of("Field", "http-header", "HttpHeaderConfig", Map.of("HttpHeaderName", "X-Mission-Stage", "Values", List.of("staging")))),
      "Actions", List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", logicalId(stack.getNode().findChild("StagingTargets")))))));
    pipeline.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of("HealthCheckPath", "/health/ready",
      "TargetType", "ip", "Port", 8080)));
  }

  @Test
  @DisplayName("production: every service rolls back on its circuit breaker and on its deployment alarms, which are alarms the alarms stack creates")
  @SuppressWarnings("unchecked")
  void productionRollback() {
    List<String> alarmNames = Synthesis.get().alarms.findResources("AWS::CloudWatch::Alarm").values().stream()
      .map(alarm -> (String) properties(alarm).get("AlarmName")).toList();
    Map<String, Object> expected = new HashMap<>(Map.of(
      "mission-control-status", List.of("mission-control-Alb5xxRate", "mission-control-UnhealthyTargets", "mission-control-StatusBelowDesired"),
      "mission-control-monitor", List.of("mission-control-MonitorBelowDesired"),
      "mission-control-alert", List.of("mission-control-AlertBelowDesired"),
      "mission-control-backup", List.of("mission-control-BackupBelowDesired")));
    Synthesis.get().service.findResources("AWS::ECS::Service").values().forEach(resource -> {
      Map<String, Object> service = properties(resource);
      Map<String, Object> deployment = (Map<String, Object>) service.get("DeploymentConfiguration");
      assertThat(deployment.get("DeploymentCircuitBreaker")).isEqualTo(Map.of("Enable", true, "Rollback", true));
      Map<String, Object> alarms = (Map<String, Object>) deployment.get("Alarms");
      assertThat(alarms).as((String) service.get("ServiceName")).isEqualTo(Map.of("Enable", true, "Rollback", true,
        "AlarmNames", expected.remove(service.get("ServiceName"))));
      assertThat(alarmNames).containsAll((List<String>) alarms.get("AlarmNames"));
    });
    assertThat(expected).isEmpty();
  }

  @Test
  @DisplayName("the repository: scan on push, immutable tags, the newest 30 images kept")
  void registry() {
    Synthesis.get().registry.hasResourceProperties("AWS::ECR::Repository", Match.objectLike(Map.of(
      "ImageScanningConfiguration", Map.of("ScanOnPush", true), "ImageTagMutability", "IMMUTABLE",
      "LifecyclePolicy", Match.objectLike(Map.of("LifecyclePolicyText", Match.stringLikeRegexp(".*\"countNumber\":30.*"))))));
  }

  @Test
  @DisplayName("with a CodeStar connection the source is GitHub (owner/repo, branch), the role may use that connection only, no CodeCommit repository; "
    + "with a host tag production also runs ops/deploy-ssm.sh on the tagged hosts, whose role may send Run Command to those only; cdk-nag clean")
  void gitHubSource() {
    Map<String, Object> context = new HashMap<>(Synthesis.CONTEXT);
    context.put("mission:pipelineConnectionArn", CONNECTION);
    context.put("mission:pipelineRepository", "interstellar/mission-control");
    context.put("mission:pipelineBranch", "release");
    context.put("mission:pipelineHostTag", "Role=mission-control");
    MissionControlApp other = new MissionControlApp(new App(AppProps.builder().outdir("target/cdk.out.github").context(context).build()));
    Template template = Template.fromStack(other.pipeline);
    template.resourceCountIs("AWS::CodeCommit::Repository", 0);
    assertThat(layout(template).get("Source")).containsExactly("GitHub CodeStarSourceConnection 1");
    assertThat(action(template, "Source", "GitHub").get("Configuration")).isEqualTo(Map.of("ConnectionArn", CONNECTION,
      "FullRepositoryId", "interstellar/mission-control", "BranchName", "release"));
    assertThat(action(template, "Build", "TestAndImage").get("Configuration").toString()).contains("#{Source_GitHub_NS.CommitId}");
    List<Map<String, Object>> statements = statements(template, logicalId(other.pipeline.pipelineRole()));
    assertThat(statements).contains(allow("codestar-connections:UseConnection", CONNECTION));
    assertThat(statements.toString()).doesNotContain("codecommit:");
    assertThat(statements).contains(allow(List.of("codebuild:StartBuild", "codebuild:BatchGetBuilds"), List.of(
      getAtt(logicalId(other.pipeline.build()), "Arn"), getAtt(logicalId(other.pipeline.verify()), "Arn"),
      getAtt(logicalId(other.pipeline.hostDeploy()), "Arn"))));

    // the host path: the compose hosts deploy alongside the ECS services, each rolled back by deploy.sh on its own
    assertThat(layout(template).get("Production")).containsExactly("Status ECS 1", "Monitor ECS 1", "Alert ECS 1", "Backup ECS 1", "Hosts CodeBuild 1");
    assertThat(action(template, "Production", "Hosts").get("InputArtifacts")).isEqualTo(List.of(Map.of("Name", "Source")));
    template.hasResourceProperties("AWS::CodeBuild::Project", Match.objectLike(Map.of("Name", "mission-control-host-deploy",
      "Source", Map.of("Type", "CODEPIPELINE", "BuildSpec",
        Match.stringLikeRegexp(".*bash ops/deploy-ssm\\.sh --tag .*MC_HOST_TAG.* -- --aws --branch .*MC_HOST_BRANCH.*")),
      "Environment", Match.objectLike(Map.of("PrivilegedMode", false, "EnvironmentVariables", Match.arrayWith(List.of(
        Map.of("Name", "MC_HOST_TAG", "Type", "PLAINTEXT", "Value", "Role=mission-control"),
        Map.of("Name", "MC_HOST_BRANCH", "Type", "PLAINTEXT", "Value", "release"))))))));
    String bucket = logicalId(other.pipeline.artifacts());
    Object partition = Map.of("Ref", "AWS::Partition");
    Object region = Map.of("Ref", "AWS::Region");
    assertThat(statements(template, logicalId(other.pipeline.hostDeployRole()))).containsExactly(
      allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), getAtt(logicalId(other.pipeline.getNode().findChild("HostDeployLogs")), "Arn")),
      allow(List.of("s3:GetObject", "s3:GetObjectVersion"), Map.of("Fn::Join", List.of("", List.of(getAtt(bucket, "Arn"), "/*")))),
      allow(List.of("s3:GetBucketLocation", "s3:GetBucketVersioning"), getAtt(bucket, "Arn")),
      allow("kms:Decrypt", getAtt(logicalId(other.pipeline.key()), "Arn")),
      allow("ssm:SendCommand", Map.of("Fn::Join", List.of("", List.of("arn:", partition, ":ssm:", region, "::document/AWS-RunShellScript")))),
      allow("ssm:SendCommand", Map.of("Fn::Join", List.of("", List.of("arn:", partition, ":ec2:", region, ":", Map.of("Ref", "AWS::AccountId"), ":instance/*"))),
        Map.of("StringEquals", Map.of("ssm:resourceTag/Role", "mission-control"))),
      allow(List.of("ssm:ListCommandInvocations", "ssm:GetCommandInvocation"), "*"));
    assertThat(Annotations.fromStack(other.pipeline).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
    assertThat(Annotations.fromStack(other.pipeline).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
  }
}
