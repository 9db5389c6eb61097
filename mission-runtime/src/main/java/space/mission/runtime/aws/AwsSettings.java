package space.mission.runtime.aws;

import space.mission.common.config.ConfigException;
import space.mission.common.config.ConfigReader;
import space.mission.common.config.EnvOverrides;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code aws} section. A region switches every role to its AWS adapters (CloudWatch, SNS, S3);
 * without one the local adapters run. The endpoint override points every client at an emulator
 * (LocalStack, fauxqs, the testkit's CloudWatch stand-in); {@code aws.endpoints.<service>} points one
 * service elsewhere (SNS at one emulator, CloudWatch Logs at another, say).
 */
public record AwsSettings(Optional<String> region, Optional<URI> endpoint, Map<Service, URI> serviceEndpoints) {

  /** The services we talk to, each with its own optional endpoint override ({@code aws.endpoints.<service>}). */
  public enum Service {
    SNS("sns"), LOGS("logs"), CLOUDWATCH("cloudwatch"), S3("s3");

    public final String key;

    Service(String key) {
      this.key = key;
    }
  }

  public AwsSettings {
    serviceEndpoints = Map.copyOf(serviceEndpoints);
  }

  public AwsSettings(Optional<String> region, Optional<URI> endpoint) {
    this(region, endpoint, Map.of());
  }

  public static AwsSettings from(ConfigReader config) {
    Map<Service, URI> perService = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      uri(config, "aws.endpoints." + service.key).ifPresent(uri -> perService.put(service, uri));
    }
    return new AwsSettings(config.optionalString("aws.region"), uri(config, "aws.endpoint"), perService);
  }

  private static Optional<URI> uri(ConfigReader config, String path) {
    return config.optionalString(path).map(raw -> {
      try {
        URI uri = URI.create(raw);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new ConfigException("config " + path + " (" + EnvOverrides.envName(path)
          + "): expected a URL such as http://localhost:4566, got \"" + raw + "\"");
      }
    });
  }

  public static AwsSettings local() {
    return new AwsSettings(Optional.empty(), Optional.empty());
  }

  /** Where {@code service} is reached: its own override, else the common one, else AWS itself. */
  public Optional<URI> endpointFor(Service service) {
    URI own = serviceEndpoints.get(service);
    return own != null ? Optional.of(own) : endpoint;
  }

  /** Whether the AWS adapters are in use. */
  public boolean enabled() {
    return region.isPresent();
  }
}
