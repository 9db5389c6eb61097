#!/usr/bin/env bash
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is split into words on purpose
# Restart time of the status role (issue: faults and the contract, item 6): from `java -jar` to a 200
# from /health/ready, against a schema that already holds 100 missions and 200,000 updates (so the
# migrations have nothing to do, as on every restart). With two jars, their runs alternate (A B A B
# ...), so a busy minute of this noisy machine hits both alike. Prints each run and the medians.
# With --class-data, one jar is measured twice: as `java -jar` and as the image starts it, with the
# class-data archive ops/container/train-class-data.sh makes for it (trained here, first).
#   bench/status/restart.sh [--class-data] [RUNS] [JAR [JAR]]   (default: 7 runs of the built launcher)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$here/../lib.sh"
class_data=false
if [ "${1:-}" = --class-data ]; then class_data=true; shift; fi
runs=${1:-7}
shift || true
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$root/mission-control/target/mission-control.jar")
for jar in "${jars[@]}"; do [ -f "$jar" ] || { echo "no jar: $jar (build first: ./mvnw -B -DskipTests package)" >&2; exit 1; }; done
port=${BENCH_PORT:-18090}
schema=mc_bench_restart
token="bench-token-$(date +%s)-0123456789"
work=$(mktemp -d)
trap 'stop_status; rm -rf "$work"' EXIT

# the variants measured: a jar each, or one jar without and with its class-data archive
labels=() variant_jars=() variant_opts=()
for jar in "${jars[@]}"; do labels+=("$(basename "$jar")"); variant_jars+=("$jar"); variant_opts+=(""); done
if $class_data; then
  archive="$work/mission-control.jsa"
  "$root/ops/container/train-class-data.sh" "${jars[0]}" "$archive"
  labels=("$(basename "${jars[0]}")" "$(basename "${jars[0]}") with its class-data archive")
  variant_jars=("${jars[0]}" "${jars[0]}")
  variant_opts=("" "-XX:SharedArchiveFile=$archive")
fi

bench_schemas $schema
start_status "${jars[0]}" $schema "$port" "$token" "$work/load" ${BENCH_JAVA_OPTS:-}
add_missions "$port" "$token" 100
add_updates $schema 200000 100
stop_status

declare -A times
for run in $(seq 1 "$runs"); do
  for i in "${!labels[@]}"; do
    started=$(date +%s%N)
    start_status "${variant_jars[$i]}" $schema "$port" "$token" "$work/run" ${variant_opts[$i]} ${BENCH_JAVA_OPTS:-}
    ms=$(( ($(date +%s%N) - started) / 1000000 ))
    stop_status
    times[$i]+="$ms "
    echo "run $run, ${labels[$i]}: ready in $ms ms"
  done
done
echo
for i in "${!labels[@]}"; do
  mapfile -t sorted < <(tr ' ' '\n' <<<"${times[$i]}" | grep . | sort -n)
  echo "${labels[$i]} (${variant_jars[$i]}): median ${sorted[$(( ${#sorted[@]} / 2 ))]} ms of ${#sorted[@]} restarts (${sorted[*]})"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
