package space.mission.runtime.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds every AWS SDK v2 async client the same way: the configured region, the endpoint override
 * when there is one, the default credential chain (with stand-in credentials as a last resort when
 * an endpoint override points at an emulator), bounded call timeouts, and the Netty HTTP client.
 */
public final class AwsClients {

  /** Emulators accept any credentials; these are used only when an endpoint override is set and nothing else is found. */
  private static final AwsCredentialsProvider EMULATOR_CREDENTIALS =
    StaticCredentialsProvider.create(AwsBasicCredentials.create("mission-control", "mission-control"));

  private AwsClients() {
  }

  public static <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> C async(B builder, AwsSettings settings,
                                                                                              AwsSettings.Service service) {
    String region = settings.region().orElseThrow(() -> new IllegalStateException("AWS adapters need aws.region"));
    builder.region(Region.of(region));
    Optional<URI> endpoint = settings.endpointFor(service);
    if (endpoint.isPresent()) {
      builder.endpointOverride(endpoint.get());
      // an emulator on this machine: only local sources before the stand-in credentials, so no
      // instance-metadata or container endpoint is asked over the network; elsewhere (a VPC
      // endpoint, LocalStack in a container) the full chain, then the stand-in
      AwsCredentialsProvider found = isLoopback(endpoint.get())
        ? AwsCredentialsProviderChain.builder()
            .credentialsProviders(EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create())
            .build()
        : DefaultCredentialsProvider.builder().build();
      builder.credentialsProvider(AwsCredentialsProviderChain.builder()
        .credentialsProviders(found, EMULATOR_CREDENTIALS)
        .reuseLastProviderEnabled(true)
        .build());
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    builder.overrideConfiguration(config -> config
      .apiCallTimeout(Duration.ofSeconds(60))
      .apiCallAttemptTimeout(Duration.ofSeconds(20)));
    builder.httpClientBuilder(NettyNioAsyncHttpClient.builder()
      .connectionTimeout(Duration.ofSeconds(5))
      .readTimeout(Duration.ofSeconds(20))
      .maxConcurrency(32));
    return builder.build();
  }

  private static boolean isLoopback(URI endpoint) {
    String host = endpoint.getHost();
    return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
  }
}
