#!/usr/bin/env bash
# LocalStack runs this once it is ready (mounted into /etc/localstack/init/ready.d): the AWS
# resources docker-compose.yml points the roles at. Names match its MC_* defaults.
set -euo pipefail
region=${AWS_DEFAULT_REGION:-us-east-1}
awslocal s3 mb s3://mission-backups
topic=$(awslocal sns create-topic --name mission-alerts --query TopicArn --output text)
queue=$(awslocal sqs create-queue --queue-name mission-alerts-subscriber --query QueueUrl --output text)
queue_arn=$(awslocal sqs get-queue-attributes --queue-url "$queue" --attribute-names QueueArn --query Attributes.QueueArn --output text)
awslocal sns subscribe --topic-arn "$topic" --protocol sqs --notification-endpoint "$queue_arn" > /dev/null
for group in /mission-control/resources /mission-control/app; do
  awslocal logs create-log-group --log-group-name "$group" --region "$region"
done
echo "mission-control resources ready: s3://mission-backups, $topic, $queue"
