package space.mission.aws;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.TagMutability;
import software.constructs.Construct;

import java.util.List;

/**
 * The image's repository, a stack of its own so that it exists (and the first image is pushed) before
 * the services that pull from it are created. Left out when {@code mission:imageRepository} names an
 * existing one.
 */
public final class RegistryStack extends Stack {

  public static final String REPOSITORY_NAME = "mission-control";

  private final Repository repository;

  public RegistryStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
    repository = Repository.Builder.create(this, "Images").repositoryName(REPOSITORY_NAME)
      .imageScanOnPush(true)
      // a tag is a commit (the pipeline's builds): it names one image for good, so a rollback gets what was tested
      .imageTagMutability(TagMutability.IMMUTABLE)
      // deploys name an image by tag; enough old ones stay to roll back to
      .lifecycleRules(List.of(LifecycleRule.builder().description("keep the newest 30 images").maxImageCount(30).build()))
      .removalPolicy(RemovalPolicy.RETAIN)
      .build();
    CfnOutput.Builder.create(this, "RepositoryUri").value(repository.getRepositoryUri())
      .description("docker push <this>:<tag>, then deploy with -c mission:imageTag=<tag>").build();
  }

  public Repository repository() {
    return repository;
  }
}
