package space.mission.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static space.mission.aws.Synthesis.in;
import static space.mission.aws.Synthesis.properties;

class AlarmsStackTest {

  static MissionControlApp env;
  static Template alarms;
  static Map<String, Map<String, Object>> byName = new LinkedHashMap<>();

  @BeforeAll
  static void synthesize() {
    env = Synthesis.get().env;
    alarms = Synthesis.get().alarms;
    alarms.findResources("AWS::CloudWatch::Alarm").values().forEach(resource ->
      byName.put(((String) properties(resource).get("AlarmName")).replace("mission-control-", ""), properties(resource)));
  }

  @Test
  @DisplayName("every alarm notifies the alert topic when it fires and when it clears")
  void toTheTopic() {
    assertThat(byName).containsOnlyKeys("Alb5xxRate", "UnhealthyTargets", "DatabaseCpu", "DatabaseFreeStorage", "DatabaseConnections",
      "RecoveryPointAge", "StatusBelowDesired", "MonitorBelowDesired", "AlertBelowDesired", "BackupBelowDesired");
    Object topic = in(env.alarms, env.data.alerts().getTopicArn());
    byName.forEach((name, alarm) -> {
      assertThat(alarm.get("AlarmActions")).as(name).isEqualTo(List.of(topic));
      assertThat(alarm.get("OKActions")).as(name).isEqualTo(List.of(topic));
    });
  }

  @Test
  @DisplayName("the topic's key lets CloudWatch (of this account) encrypt what the alarms publish")
  void keyAllowsCloudWatch() {
    Synthesis.get().data.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("KeyPolicy", Match.objectLike(Map.of(
      "Statement", Match.arrayWith(List.of(Map.of("Effect", "Allow", "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey"), "Resource", "*",
        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))))))))));
  }

  @Test
  @DisplayName("the load balancer's 5xx alarm is a share of requests above 5 % over two 5-minute periods, counting the balancer's and the targets' 5xx")
  @SuppressWarnings("unchecked")
  void alb5xxRate() {
    Map<String, Object> alarm = byName.get("Alb5xxRate");
    assertThat(alarm).containsEntry("Threshold", 5).containsEntry("EvaluationPeriods", 2)
      .containsEntry("ComparisonOperator", "GreaterThanThreshold").containsEntry("TreatMissingData", "notBreaching");
    List<Map<String, Object>> metrics = (List<Map<String, Object>>) alarm.get("Metrics");
    assertThat(metrics.get(0)).containsEntry("Expression", "100 * (elb + target) / MAX([requests, 1])").containsEntry("ReturnData", true);
    Map<String, String> names = new LinkedHashMap<>();
    metrics.stream().skip(1).forEach(metric -> {
      Map<String, Object> stat = (Map<String, Object>) metric.get("MetricStat");
      Map<String, Object> inner = (Map<String, Object>) stat.get("Metric");
      assertThat(inner).containsEntry("Namespace", "AWS/ApplicationELB");
      assertThat(stat).containsEntry("Stat", "Sum").containsEntry("Period", 300);
      names.put((String) metric.get("Id"), (String) inner.get("MetricName"));
    });
    assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of("elb", "HTTPCode_ELB_5XX_Count", "target", "HTTPCode_Target_5XX_Count",
      "requests", "RequestCount"));
  }

  @Test
  @DisplayName("unhealthy status targets: UnHealthyHostCount of the status target group at 1 or more for 3 minutes")
  void unhealthyTargets() {
    assertThat(byName.get("UnhealthyTargets")).containsEntry("Namespace", "AWS/ApplicationELB").containsEntry("MetricName", "UnHealthyHostCount")
      .containsEntry("Statistic", "Maximum").containsEntry("Threshold", 1).containsEntry("EvaluationPeriods", 3)
      .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
    assertThat(byName.get("UnhealthyTargets").get("Dimensions").toString())
      .contains(in(env.alarms, env.edge.statusTargets().getTargetGroupFullName()).toString());
  }

  @Test
  @DisplayName("the database: CPU above 80 %, free storage under a fifth of 50 GiB, connections above 270, on the one instance")
  void database() {
    Object instance = List.of(Map.of("Name", "DBInstanceIdentifier", "Value", in(env.alarms, env.data.database().getInstanceIdentifier())));
    assertThat(byName.get("DatabaseCpu")).containsEntry("Namespace", "AWS/RDS").containsEntry("MetricName", "CPUUtilization")
      .containsEntry("Threshold", 80).containsEntry("ComparisonOperator", "GreaterThanThreshold").containsEntry("Dimensions", instance);
    assertThat(byName.get("DatabaseFreeStorage")).containsEntry("MetricName", "FreeStorageSpace").containsEntry("Statistic", "Minimum")
      .containsEntry("ComparisonOperator", "LessThanThreshold").containsEntry("Dimensions", instance);
    assertThat(((Number) byName.get("DatabaseFreeStorage").get("Threshold")).doubleValue()).isEqualTo(10.0 * 1024 * 1024 * 1024);
    assertThat(byName.get("DatabaseConnections")).containsEntry("MetricName", "DatabaseConnections").containsEntry("Statistic", "Maximum")
      .containsEntry("Threshold", 270).containsEntry("Dimensions", instance);
  }

  @Test
  @DisplayName("the recovery point: the backup role's age metric in our namespace above the 24 h RPO, and missing data counts as breaching")
  void recoveryPoint() {
    assertThat(byName.get("RecoveryPointAge")).containsEntry("Namespace", "MissionControl")
      .containsEntry("MetricName", "mission.backup.newest.verified.age").containsEntry("Statistic", "Maximum")
      .containsEntry("Threshold", 86400).containsEntry("ComparisonOperator", "GreaterThanThreshold")
      .containsEntry("TreatMissingData", "breaching").doesNotContainKey("Dimensions");
  }

  @Test
  @DisplayName("each ECS service: desired minus running tasks (Container Insights) above 0 for 5 minutes")
  @SuppressWarnings("unchecked")
  void belowDesired() {
    for (String role : ServiceStack.ROLES) {
      Map<String, Object> alarm = byName.get(Character.toUpperCase(role.charAt(0)) + role.substring(1) + "BelowDesired");
      assertThat(alarm).containsEntry("Threshold", 0).containsEntry("EvaluationPeriods", 5).containsEntry("ComparisonOperator", "GreaterThanThreshold");
      List<Map<String, Object>> metrics = (List<Map<String, Object>>) alarm.get("Metrics");
      assertThat(metrics.get(0)).containsEntry("Expression", "desired - running");
      Object dimensions = List.of(
        Map.of("Name", "ClusterName", "Value", in(env.alarms, env.service.cluster().getClusterName())),
        Map.of("Name", "ServiceName", "Value", in(env.alarms, env.service.services().get(role).getServiceName())));
      Map<String, String> names = new LinkedHashMap<>();
      metrics.stream().skip(1).forEach(metric -> {
        Map<String, Object> inner = (Map<String, Object>) ((Map<String, Object>) metric.get("MetricStat")).get("Metric");
        assertThat(inner).containsEntry("Namespace", "ECS/ContainerInsights");
        assertThat((List<Object>) inner.get("Dimensions")).containsExactlyInAnyOrderElementsOf((List<Object>) dimensions);
        names.put((String) metric.get("Id"), (String) inner.get("MetricName"));
      });
      assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of("desired", "DesiredTaskCount", "running", "RunningTaskCount"));
    }
  }
}
