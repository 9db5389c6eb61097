package space.mission.testkit;

import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;

/**
 * LocalStack in a container, for the variants of the AWS tests that run when Docker is there. The
 * tests that CI runs use the stand-ins (S3Proxy, fauxqs, the CloudWatch stand-in); these repeat
 * their happy paths against LocalStack's implementation of the same services.
 */
public final class LocalStack implements AutoCloseable {

  public static final String IMAGE = "localstack/localstack:3.8";

  private final LocalStackContainer container;

  private LocalStack(LocalStackContainer container) {
    this.container = container;
  }

  /** Starts LocalStack with {@code services}; skips the test when Docker is not available. */
  public static LocalStack start(LocalStackContainer.Service... services) {
    if (!TestDatabase.dockerAvailable()) {
      Infra.optionalMissing("Docker (for LocalStack)", "no Docker engine answers here");
    }
    LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE)).withServices(services);
    container.start();
    return new LocalStack(container);
  }

  public URI endpoint() {
    return container.getEndpoint();
  }

  public String region() {
    return container.getRegion();
  }

  @Override
  public void close() {
    container.stop();
  }
}
