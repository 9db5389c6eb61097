#!/usr/bin/env bash
# shellcheck disable=SC2086  # JVM option lists (BENCH_JAVA_OPTS, BENCH_HEAP) are split into words on purpose
# Alert System benchmarks (issue: Alert System). See bench/README.md.
#
# 1. Breach-to-notification latency across two clustered JVMs: the packaged launcher runs the alert
#    role (--cluster) against the machine's MariaDB, publishing to the fauxqs emulator wrapped with a
#    stopwatch (sns-timing.mjs); BreachLatency.java joins the cluster as a monitor and publishes
#    readings over a disk threshold (for: 0s, group wait 0 s), one new alert each. p50/p90/p99/max.
# 2. Rule evaluation throughput with 100 rules (RuleThroughput.java), in one JVM.
# Prints Markdown rows. Needs node and the testkit's npm install (npm ci in mission-testkit/fauxqs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${BENCH_JAR:-"$root/mission-control/target/mission-control.jar"}
schema=mc_bench_alert
cluster_port=${BENCH_CLUSTER_PORT:-25701}
management_port=${BENCH_MANAGEMENT_PORT:-19091}
work=$(mktemp -d)

[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
[ -d "$root/mission-testkit/fauxqs/node_modules/fauxqs" ] || { echo "run: npm ci --prefix mission-testkit/fauxqs" >&2; exit 1; }
cleanup() {
  for p in ${jar_pid:-} ${sink_pid:-}; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

mariadb -uroot -e "DROP DATABASE IF EXISTS $schema; CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  CREATE USER IF NOT EXISTS 'mission'@'127.0.0.1' IDENTIFIED BY 'mission'; GRANT ALL ON *.* TO 'mission'@'127.0.0.1';"
db_url="mysql://mission:mission@127.0.0.1:3306/$schema"

node "$here/sns-timing.mjs" > "$work/sink.log" 2>&1 &
sink_pid=$!
until grep -q LISTENING "$work/sink.log"; do kill -0 "$sink_pid" || { cat "$work/sink.log"; exit 1; }; sleep 0.1; done
sink="http://127.0.0.1:$(awk '/LISTENING/{print $2}' "$work/sink.log")"
topic=$(curl -sf -d 'Action=CreateTopic&Name=bench-alerts' "$sink/" | sed -n 's:.*<TopicArn>\(.*\)</TopicArn>.*:\1:p')

cat > "$work/rules.yaml" <<'YAML'
readings:
  - { name: disk-full, metric: disk.usage, comparison: ">", threshold: 85, clear: 80, for: 0s, severity: WARNING }
YAML
cluster_name="bench-alert-$$"
# every AWS client points at the emulator: nothing leaves the machine
MC_DB_URL="$db_url" MC_DATA_DIR="$work/data" MC_LOG_LEVEL=WARN MC_MANAGEMENT_PORT=$management_port \
  MC_AWS_REGION=us-east-1 MC_AWS_ENDPOINT="$sink" MC_SNS_TOPIC_ARN="$topic" \
  MC_ALERT_RULES_FILE="$work/rules.yaml" MC_ALERT_GROUP_WAIT=0s \
  MC_CLUSTER_NAME="$cluster_name" MC_CLUSTER_MEMBERS="127.0.0.1:$cluster_port" MC_CLUSTER_HOST=127.0.0.1 MC_CLUSTER_PORT=$cluster_port \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" --cluster --roles alert > "$work/jar.log" 2>&1 &
jar_pid=$!
until curl -sf "http://127.0.0.1:$management_port/health/ready" >/dev/null; do
  kill -0 "$jar_pid" 2>/dev/null || { cat "$work/jar.log"; exit 1; }
  sleep 0.2
done

echo "| measure | value |"
echo "|---|---|"
BENCH_CLUSTER_NAME="$cluster_name" BENCH_CLUSTER_PORT=$cluster_port BENCH_SINK="$sink" \
  java -cp "$jar" "$here/BreachLatency.java" > "$work/latency.out" 2>&1 || { cat "$work/latency.out"; exit 1; }
grep '^|' "$work/latency.out"
kill "$jar_pid"; wait "$jar_pid" 2>/dev/null || true; jar_pid=

mariadb -uroot -e "DROP DATABASE IF EXISTS $schema; CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
BENCH_DB_URL="$db_url" java -cp "$jar" "$here/RuleThroughput.java" > "$work/throughput.out" 2>&1 || { cat "$work/throughput.out"; exit 1; }
grep '^|' "$work/throughput.out"
mariadb -uroot -e "DROP DATABASE IF EXISTS $schema;"
