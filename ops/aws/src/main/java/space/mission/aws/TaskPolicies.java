package space.mission.aws;

import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.ITopic;

import java.util.List;
import java.util.Map;

/**
 * What each role calls on AWS, as IAM statements, and nothing more: read from the product's adapters
 * (SnsNotifier, CloudWatchLogTail, S3BackupStore, CloudWatchLogsSink, CloudWatchMetrics). The status
 * role calls no AWS API. Keys, topic, bucket and groups are named by ARN; the one wildcard resource,
 * PutMetricData (which has no resource type), is held to our namespace by a condition.
 */
final class TaskPolicies {

  private TaskPolicies() {
  }

  /** The alert role: publishes notifications (SnsNotifier) and reads the app's log group for the log rules (CloudWatchLogTail). */
  static List<PolicyStatement> alert(ITopic topic, IKey key, ILogGroup appLogs) {
    return List.of(
      allow(List.of("sns:Publish"), List.of(topic.getTopicArn())),
      // the topic is encrypted with our key: a publisher needs a data key from it
      allow(List.of("kms:GenerateDataKey", "kms:Decrypt"), List.of(key.getKeyArn())),
      allow(List.of("logs:FilterLogEvents"), List.of(appLogs.getLogGroupArn())));
  }

  /**
   * The backup role: objects under its prefix (multipart uploads are s3:PutObject; deleteObjects asks
   * s3:DeleteObject per key), listing only that prefix, the uploads it may have to abort, its key,
   * and the recovery-point metric.
   */
  static List<PolicyStatement> backup(IBucket bucket, String prefix, IKey key, String namespace) {
    return List.of(
      allow(List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
        List.of(bucket.arnForObjects(prefix + "*"))),
      new PolicyStatement(PolicyStatementProps.builder().actions(List.of("s3:ListBucket")).resources(List.of(bucket.getBucketArn()))
        .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "*")))).build()),
      allow(List.of("s3:ListBucketMultipartUploads"), List.of(bucket.getBucketArn())),
      allow(List.of("kms:GenerateDataKey", "kms:Decrypt"), List.of(key.getKeyArn())),
      putMetricData(namespace));
  }

  /**
   * The monitor role: its readings as log lines (CloudWatchLogsSink creates group and stream when
   * missing, and IAM answers before "already exists" does, hence CreateLogGroup on that one group) and
   * as metrics.
   */
  static List<PolicyStatement> monitor(ILogGroup resourceLogs, String namespace) {
    return List.of(
      allow(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), List.of(resourceLogs.getLogGroupArn())),
      putMetricData(namespace));
  }

  /** PutMetricData has no resource type: any resource, but only our namespace. */
  static PolicyStatement putMetricData(String namespace) {
    return new PolicyStatement(PolicyStatementProps.builder().actions(List.of("cloudwatch:PutMetricData")).resources(List.of("*"))
      .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", namespace))).build());
  }

  static PolicyStatement allow(List<String> actions, List<String> resources) {
    return new PolicyStatement(PolicyStatementProps.builder().actions(actions).resources(resources).build());
  }
}
