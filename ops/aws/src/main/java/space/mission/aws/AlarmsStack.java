package space.mission.aws;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an operator is woken for, each alarm to the alert topic (and again when it clears): the load
 * balancer answering 5xx, unhealthy status targets, the database's CPU, free storage and connections,
 * the recovery point older than the RPO, and any service running fewer tasks than it should.
 */
public final class AlarmsStack extends Stack {

  /** The backup role's gauge (BackupVerticle), as micrometer-registry-cloudwatch2 names it: no dimensions, seconds. */
  public static final String RECOVERY_POINT_METRIC = "mission.backup.newest.verified.age";
  public static final double FIVE_XX_PERCENT = 5;
  public static final String NAME_PREFIX = "mission-control-";

  private final Map<String, Alarm> alarms = new LinkedHashMap<>();

  /**
   * The alarms a deployment of {@code role}'s service watches (ECS rolls it back when one fires while it
   * rolls out): its tasks below desired, and for status also the load balancer's 5xx rate and unhealthy targets.
   */
  public static List<String> deploymentAlarmNames(String role) {
    List<String> names = new ArrayList<>();
    if (role.equals("status")) {
      names.add(NAME_PREFIX + "Alb5xxRate");
      names.add(NAME_PREFIX + "UnhealthyTargets");
    }
    names.add(NAME_PREFIX + capitalized(role) + "BelowDesired");
    return names;
  }

  public AlarmsStack(Construct scope, String id, StackProps props, DataStack data, EdgeStack edge, ServiceStack service, Settings settings) {
    super(scope, id, props);
    Duration fiveMinutes = Duration.minutes(5);
    MetricOptions sum = MetricOptions.builder().statistic("Sum").period(fiveMinutes).build();

    // a share of requests, not a count: a busy hour's few errors are not an incident, a quiet hour's many are
    alarm("Alb5xxRate", "More than " + (int) FIVE_XX_PERCENT + " % of requests answered 5xx (by the load balancer or a status task) for 10 minutes",
      MathExpression.Builder.create().expression("100 * (elb + target) / MAX([requests, 1])")
        .usingMetrics(new TreeMap<>(Map.of(
          "elb", edge.loadBalancer().getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, sum),
          "target", edge.loadBalancer().getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum),
          "requests", edge.loadBalancer().getMetrics().requestCount(sum))))
        .period(fiveMinutes).label("5xx % of requests").build(),
      FIVE_XX_PERCENT, 2, TreatMissingData.NOT_BREACHING);

    alarm("UnhealthyTargets", "A status target failed its /health/ready check for 3 minutes",
      edge.statusTargets().getMetrics().unhealthyHostCount(MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build()),
      1, 3, TreatMissingData.NOT_BREACHING, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);

    alarm("DatabaseCpu", "The database's CPU above 80 % for 15 minutes",
      data.database().metricCPUUtilization(MetricOptions.builder().statistic("Average").period(fiveMinutes).build()),
      80, 3, TreatMissingData.BREACHING);

    // a fifth of what is allocated at first; storage autoscaling grows it, and this says it had to
    double freeBytes = settings.dbAllocatedStorageGiB() * 0.2 * 1024 * 1024 * 1024;
    alarm("DatabaseFreeStorage", "The database has less than a fifth of its first allocation free",
      data.database().metricFreeStorageSpace(MetricOptions.builder().statistic("Minimum").period(fiveMinutes).build()),
      freeBytes, 1, TreatMissingData.BREACHING, ComparisonOperator.LESS_THAN_THRESHOLD);

    alarm("DatabaseConnections", "More than " + settings.dbConnectionsAlarm() + " database connections for 10 minutes",
      data.database().metricDatabaseConnections(MetricOptions.builder().statistic("Maximum").period(fiveMinutes).build()),
      settings.dbConnectionsAlarm(), 2, TreatMissingData.BREACHING);

    // no datum is an alarm too: a backup role that stopped reporting has no recovery point anyone can vouch for
    alarm("RecoveryPointAge", "The newest verified backup is older than the RPO (" + settings.backupRpoHours() + " h), or no backup role reports it",
      Metric.Builder.create().namespace(ServiceStack.METRICS_NAMESPACE).metricName(RECOVERY_POINT_METRIC)
        .statistic("Maximum").period(fiveMinutes).build(),
      settings.backupRpoHours() * 3600.0, 1, TreatMissingData.BREACHING);

    service.services().forEach((role, ecsService) -> {
      // sorted maps: Map.of's order changes from one JVM to the next, and with it the template
      Map<String, String> dimensions = new TreeMap<>(Map.of("ClusterName", service.cluster().getClusterName(), "ServiceName", ecsService.getServiceName()));
      MetricOptions insight = MetricOptions.builder().statistic("Average").period(Duration.minutes(1)).build();
      alarm(capitalized(role) + "BelowDesired", "The " + role + " service has run fewer tasks than desired for 5 minutes",
        MathExpression.Builder.create().expression("desired - running")
          .usingMetrics(new TreeMap<>(Map.of(
            "desired", containerInsights("DesiredTaskCount", dimensions, insight),
            "running", containerInsights("RunningTaskCount", dimensions, insight))))
          .period(Duration.minutes(1)).label(role + " tasks missing").build(),
        0, 5, TreatMissingData.BREACHING);
    });

    SnsAction toTopic = new SnsAction(data.alerts());
    alarms.values().forEach(alarm -> {
      alarm.addAlarmAction(toTopic);
      alarm.addOkAction(toTopic);
    });
  }

  private static Metric containerInsights(String name, Map<String, String> dimensions, MetricOptions options) {
    return Metric.Builder.create().namespace("ECS/ContainerInsights").metricName(name).dimensionsMap(dimensions)
      .statistic(options.getStatistic()).period(options.getPeriod()).build();
  }

  private void alarm(String id, String description, IMetric metric, double threshold, int periods, TreatMissingData missing) {
    alarm(id, description, metric, threshold, periods, missing, ComparisonOperator.GREATER_THAN_THRESHOLD);
  }

  private void alarm(String id, String description, IMetric metric, double threshold, int periods, TreatMissingData missing,
                     ComparisonOperator comparison) {
    alarms.put(id, Alarm.Builder.create(this, id).alarmName(NAME_PREFIX + id).alarmDescription(description)
      .metric(metric).threshold(threshold).evaluationPeriods(periods).comparisonOperator(comparison)
      .treatMissingData(missing).build());
  }

  private static String capitalized(String role) {
    return Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }

  public Map<String, Alarm> alarms() {
    return alarms;
  }
}
