#!/usr/bin/env bash
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is split into words on purpose
# Live feed benchmark (issue: dashboard and resumable live feed). See bench/README.md.
#
# Starts the packaged launcher with the status role only against the machine's MariaDB, then
# StreamLoad.java (from source, against the jar) opens BENCH_CLIENTS (1,000) SSE streams and records
# BENCH_RATE (100) status updates a second through the API for BENCH_WARMUP (40) s and BENCH_SECONDS (30)
# measured: every update reaches every client. Prints a Markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$here/../lib.sh"
jar=${BENCH_JAR:-"$root/mission-control/target/mission-control.jar"}
port=${BENCH_PORT:-18081}
schema=mc_bench_stream
token="bench-token-$(date +%s)-0123456789"
work=$(mktemp -d)

[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
base="http://127.0.0.1:$port"
cleanup() { stop_status; rm -rf "$work"; }
trap cleanup EXIT

bench_schemas $schema
start_status "$jar" $schema "$port" "$token" "$work" ${BENCH_JAVA_OPTS:-}
curl -sf -o /dev/null -X POST "$base/api/v1/missions" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"id":"bench-stream","name":"Bench stream","phase":"CRUISE","expectedReportSeconds":86400}'

echo "| measure | value |"
echo "|---|---|"
BENCH_PORT=$port BENCH_TOKEN="$token" BENCH_SERVER_PID=$status_pid java -cp "$jar" "$here/StreamLoad.java" > "$work/load.out" 2>&1 \
  || { cat "$work/load.out"; exit 1; }
grep '^|' "$work/load.out"
grep -i "blocked" "$work/status.log" && echo "blocked-thread warnings in the server log (above)" >&2
mariadb -uroot -e "DROP DATABASE IF EXISTS $schema;"
