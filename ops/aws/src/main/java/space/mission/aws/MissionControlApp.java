package space.mission.aws;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The AWS environment, one stack per concern: {@code npx aws-cdk deploy --all} from {@code ops/aws}.
 * cdk-nag's AwsSolutions pack checks every stack at synthesis; each accepted finding is suppressed
 * where it arises, with its reason.
 */
public final class MissionControlApp {

  public final App app;
  public final NetworkStack network;
  public final DataStack data;

  public MissionControlApp(App app) {
    this.app = app;
    Settings settings = Settings.from(app.getNode());
    StackProps props = StackProps.builder().env(environment()).build();
    network = new NetworkStack(app, "MissionControl-Network", props);
    data = new DataStack(app, "MissionControl-Data", props, network, settings);
    Tags.of(app).add("project", "mission-control");
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
  }

  /** The account and region of the CLI's profile, as {@code cdk deploy} sets them; unset: an environment-agnostic template. */
  private static Environment environment() {
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    if (account == null || region == null) {
      return null;
    }
    return Environment.builder().account(account).region(region).build();
  }

  public static void main(String[] args) {
    App app = new App(AppProps.builder().build());
    new MissionControlApp(app);
    app.synth();
  }
}
