#!/usr/bin/env bash
# Resource Monitor cost (issue: Resource Monitor). See bench/README.md.
#
# Runs the packaged launcher with the monitor role only, sampling every second, and measures over
# BENCH_MINUTES (default 10) after a 60 s warm-up: the process's CPU use as a percentage of one core
# (from /proc/<pid>/stat), its RSS every 30 s (from /proc/<pid>/status), and the time one sample takes
# (the monitor's own timer, read from the management server's /metrics). Prints a Markdown summary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${BENCH_JAR:-"$root/mission-control/target/mission-control.jar"}
minutes=${BENCH_MINUTES:-10}
warmup=${BENCH_WARMUP_SECONDS:-60}
port=${BENCH_PORT:-19090}
java_opts=${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}
work=$(mktemp -d)
[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck disable=SC2086
MC_DATA_DIR="$work/data" MC_MONITOR_INTERVAL=1s MC_MANAGEMENT_PORT=$port MC_LOG_LEVEL=WARN \
  java $java_opts -jar "$jar" --roles monitor > "$work/jar.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/jar.log"; exit 1; }
  sleep 0.2
done
sleep "$warmup"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$pid/status"; }
start_ticks=$(cpu_ticks); start_time=$(date +%s.%N)
rss_samples=()
end=$(( $(date +%s) + minutes * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  rss_samples+=("$(rss_kb)")
  sleep 30
done
rss_samples+=("$(rss_kb)")
end_ticks=$(cpu_ticks); end_time=$(date +%s.%N)

metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
quantile() { echo "$metrics" | awk -v q="$1" '/^mission_monitor_sample_duration_seconds\{/ && $0 ~ "quantile=\""q"\"" {print $2 * 1000}'; }
count=$(echo "$metrics" | awk '/^mission_monitor_sample_duration_seconds_count/{print $2}')
sum=$(echo "$metrics" | awk '/^mission_monitor_sample_duration_seconds_sum/{print $2}')
skipped=$(echo "$metrics" | awk '/^mission_monitor_samples_skipped_total/{print $2}')

cpu=$(echo "$start_ticks $end_ticks $start_time $end_time $ticks" | awk '{printf "%.2f", ($2 - $1) / $5 / ($4 - $3) * 100}')
first=${rss_samples[0]}; last=${rss_samples[${#rss_samples[@]}-1]}
max=$(printf '%s\n' "${rss_samples[@]}" | sort -n | tail -1)
echo "| measure | value |"
echo "|---|---|"
echo "| CPU, % of one core (${minutes} min at a 1 s interval) | $cpu |"
echo "| RSS after warm-up / at the end / max | $((first / 1024)) / $((last / 1024)) / $((max / 1024)) MiB |"
echo "| RSS samples (KiB, every 30 s) | ${rss_samples[*]} |"
echo "| one sample: median / p99 | $(quantile 0.5) ms / $(quantile 0.99) ms (mean $(echo "$sum $count" | awk '{printf "%.2f", $1 / $2 * 1000}') ms over $count samples) |"
echo "| ticks skipped | ${skipped:-0} |"
echo "| JVM options | $java_opts |"
