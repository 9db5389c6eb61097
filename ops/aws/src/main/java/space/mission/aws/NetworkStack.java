package space.mission.aws;

import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The network: a VPC over two availability zones (public subnets for the load balancer and NAT,
 * private ones for the services, isolated ones for the database) and one security group per tier.
 * Every rule names the group it admits, never an address range, except the load balancer's
 * 443 and 80 from the internet (80 only redirects).
 */
public final class NetworkStack extends Stack {

  /** The status API's port (MC_HTTP_PORT) and the management port of the other roles (MC_MANAGEMENT_PORT). */
  public static final int SERVICE_PORT = 8080;
  public static final int MANAGEMENT_PORT = 9090;
  /** Hazelcast's member port (MC_CLUSTER_PORT) and the range the clustered event bus takes after it. */
  public static final int HAZELCAST_PORT = 5701;
  public static final int EVENT_BUS_FIRST_PORT = 5702;
  public static final int EVENT_BUS_LAST_PORT = 5710;
  public static final int DATABASE_PORT = 3306;

  private final Vpc vpc;
  private final SecurityGroup albGroup;
  private final SecurityGroup serviceGroup;
  private final SecurityGroup databaseGroup;

  public NetworkStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
    vpc = Vpc.Builder.create(this, "Vpc")
      .ipAddresses(IpAddresses.cidr("10.40.0.0/16"))
      .maxAzs(2)
      .natGateways(2)
      .subnetConfiguration(List.of(
        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
        SubnetConfiguration.builder().name("services").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(22).build(),
        SubnetConfiguration.builder().name("database").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(26).build()))
      .flowLogs(Map.of("all", FlowLogOptions.builder()
        .destination(FlowLogDestination.toCloudWatchLogs(LogGroup.Builder.create(this, "FlowLogs")
          .retention(RetentionDays.ONE_MONTH).build()))
        .trafficType(FlowLogTrafficType.REJECT).build()))
      .build();

    albGroup = group("Alb", "the load balancer: HTTPS (and HTTP, which redirects) from the internet");
    serviceGroup = group("Service", "the service tasks: the API from the load balancer, the cluster ports from each other");
    databaseGroup = group("Database", "the database: MySQL protocol from the service tasks only");

    albGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet");
    albGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP from the internet, redirected to HTTPS");
    albGroup.addEgressRule(serviceGroup, Port.tcp(SERVICE_PORT), "to the status API");

    serviceGroup.addIngressRule(albGroup, Port.tcp(SERVICE_PORT), "the status API from the load balancer");
    serviceGroup.addIngressRule(serviceGroup, Port.tcp(HAZELCAST_PORT), "Hazelcast membership between tasks");
    serviceGroup.addIngressRule(serviceGroup, Port.tcpRange(EVENT_BUS_FIRST_PORT, EVENT_BUS_LAST_PORT), "the clustered event bus between tasks");

    databaseGroup.addIngressRule(serviceGroup, Port.tcp(DATABASE_PORT), "MariaDB from the service tasks");

    NagSuppressions.addResourceSuppressions(albGroup, List.of(DataStack.suppress("AwsSolutions-EC23",
      "an internet-facing load balancer: 443 and 80 (redirect only) from anywhere are its purpose; the WAF filters them")));
  }

  private SecurityGroup group(String id, String description) {
    // egress is opened rule by rule where a tier needs it; the services keep the default (AWS APIs over NAT)
    boolean allowAllOutbound = id.equals("Service");
    return SecurityGroup.Builder.create(this, id + "Group").vpc(vpc).description(description)
      .allowAllOutbound(allowAllOutbound).build();
  }

  public Vpc vpc() {
    return vpc;
  }

  public SecurityGroup albGroup() {
    return albGroup;
  }

  public SecurityGroup serviceGroup() {
    return serviceGroup;
  }

  public SecurityGroup databaseGroup() {
    return databaseGroup;
  }
}
