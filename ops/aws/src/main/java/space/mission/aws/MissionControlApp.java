package space.mission.aws;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ecr.IRepository;

/**
 * The AWS environment, one stack per concern: {@code npx aws-cdk deploy --all} from {@code ops/aws}.
 * cdk-nag's AwsSolutions pack checks every stack at synthesis; each accepted finding is suppressed
 * where it arises, with its reason.
 */
public final class MissionControlApp {

  public static final String DEFAULT_REGION = "us-east-1";

  public final App app;
  public final NetworkStack network;
  public final DataStack data;
  /** Null when {@code mission:imageRepository} names an existing repository. */
  public final RegistryStack registry;
  public final EdgeStack edge;
  public final ServiceStack service;
  public final AlarmsStack alarms;
  public final DrillsStack drills;
  public final PipelineStack pipeline;

  public MissionControlApp(App app) {
    this.app = app;
    Settings settings = Settings.from(app.getNode());
    StackProps props = StackProps.builder().env(environment()).build();
    network = new NetworkStack(app, "MissionControl-Network", props);
    data = new DataStack(app, "MissionControl-Data", props, network, settings);
    IRepository repository;
    if (settings.imageRepository().isBlank()) {
      registry = new RegistryStack(app, "MissionControl-Registry", props);
      repository = registry.repository();
    } else {
      registry = null;
      repository = null;
    }
    edge = new EdgeStack(app, "MissionControl-Edge", props, network, settings);
    service = new ServiceStack(app, "MissionControl-Service", props, network, data, edge, repository, settings);
    alarms = new AlarmsStack(app, "MissionControl-Alarms", props, data, edge, service, settings);
    drills = new DrillsStack(app, "MissionControl-Drills", props, network, service, alarms);
    pipeline = new PipelineStack(app, "MissionControl-Pipeline", props, network, data, edge, service,
      repository != null ? repository : service.images(), settings);
    Tags.of(app).add("project", "mission-control");
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
  }

  /**
   * The account and region of the CLI's profile, as {@code cdk deploy} sets them. Without a profile (a
   * plain synth, the tests) the region is us-east-1: the load balancer's access logs need a known
   * region (the bucket policy names that region's log-delivery account); the account stays open.
   */
  private static Environment environment() {
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    Environment.Builder environment = Environment.builder().region(region != null ? region : DEFAULT_REGION);
    if (account != null) {
      environment.account(account);
    }
    return environment.build();
  }

  public static void main(String[] args) {
    App app = new App(AppProps.builder().build());
    new MissionControlApp(app);
    app.synth();
  }
}
