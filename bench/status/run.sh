#!/usr/bin/env bash
# shellcheck disable=SC2086  # JVM option lists (BENCH_JAVA_OPTS, BENCH_HEAP) are split into words on purpose
# Status API benchmark (issue: Mission Status Service). See bench/README.md.
#
# Loads 100 missions and 200,000 updates into a fresh schema on the machine's MariaDB, starts the
# packaged launcher (status role only) against it, and drives it with wrk on loopback: 64
# connections, 5 s warm-up, 20 s measured, for the rollup with a matching ETag (304), the rollup
# without ETag (200), history (limit 50), and recording updates. History and recording are each
# measured right after the same load against PlainServer.java (vertx-web + vertx-mysql-client, no
# product around them) on the next port, so each gets a ratio to what the bare client and database
# do on this machine at that minute. Prints a Markdown table.
#   bench/status/run.sh [--check]
# --check: afterwards, fails (exit 3) when a scenario's figure falls more than 20 % below the one
# recorded in BENCHMARKS.md's section "Mission Status Service, as ratios": a ratio to the plain
# server where there is one (history, recording), else req/s (the rollups, which it does not serve).
# Not for CI: these machines are too noisy; for whoever changes the API, on a quiet machine.
set -euo pipefail
check_drift=false
if [ "${1:-}" = --check ]; then check_drift=true; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$here/../lib.sh"
jar="$root/mission-control/target/mission-control.jar"
port=${BENCH_PORT:-18080}
connections=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-5s}
missions=100
updates=200000
schema=mc_bench
token="bench-token-$(date +%s)-0123456789"
work=$(mktemp -d)
export BENCH_MISSIONS=$missions BENCH_TOKEN=$token BENCH_ETAGS_FILE="$work/etags"

[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
base="http://127.0.0.1:$port"
plain_pid=
stop_plain() { if [ -n "$plain_pid" ]; then kill "$plain_pid" 2>/dev/null || true; wait "$plain_pid" 2>/dev/null || true; plain_pid=; fi; }
cleanup() { stop_plain; stop_status; rm -rf "$work"; }
trap cleanup EXIT

bench_schemas $schema

start_jar() { # sets started_ms
  local started
  started=$(date +%s%N)
  start_status "$jar" $schema "$port" "$token" "$work" ${BENCH_JAVA_OPTS:-}
  started_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

start_jar; ready_ms=$started_ms
add_missions "$port" "$token" $missions
add_updates $schema $updates $missions
for i in $(seq 1 $missions); do
  etag=$(curl -sf -D - -o /dev/null "$base/api/v1/missions/bench-$i/status" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  echo "/api/v1/missions/bench-$i/status $etag" >> "$work/etags"
done
plain_port=$((port + 1))
plain="http://127.0.0.1:$plain_port"
# the launcher jar holds vertx-web and vertx-mysql-client, the plain server's only libraries
classpath=$jar
javac -d "$work/plain" -cp "$classpath" "$here/PlainServer.java"
java -Xmx512m -cp "$classpath:$work/plain" PlainServer "$plain_port" "mysql://mission:mission@127.0.0.1:3306/$schema" > "$work/plain.log" 2>&1 &
plain_pid=$!
until curl -sf "$plain/api/v1/missions/bench-1/updates" >/dev/null; do
  kill -0 "$plain_pid" 2>/dev/null || { cat "$work/plain.log"; exit 1; }
  sleep 0.1
done
check() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(check -H "If-None-Match: $(head -1 "$work/etags" | cut -d' ' -f2-)" "$base/api/v1/missions/bench-1/status")" = 304 ]
[ "$(check "$base/api/v1/missions/bench-1/updates?limit=50")" = 200 ]

measure() { # url, name, script, [script args]: one warm-up and one measured wrk run; sets rps p50 p99 errors
  local url=$1 name=$2 script=$3; shift 3
  wrk -t2 -c"$connections" -d"$warmup" -s "$here/$script" "$url" -- "$@" > /dev/null
  wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/$script" "$url" -- "$@" > "$work/$name.txt"
  rps=$(awk '/^Requests\/sec/{print $2}' "$work/$name.txt")
  p50=$(awk '/^p50_ms/{print $2}' "$work/$name.txt")
  p99=$(awk '/^p50_ms/{print $4}' "$work/$name.txt")
  errors=$(awk '/Non-2xx or 3xx/{print $NF}' "$work/$name.txt"); errors=${errors:-0}
}

declare -A figure # scenario -> what --check compares: "<ratio>x" or "<req/s> req/s"
run() { # name, script, [script args]: ours alone
  local name=$1; shift
  measure "$base" "$name" "$@"
  figure[$name]="$(printf '%.0f' "$rps") req/s"
  printf '| %s | %.0f | | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$errors"
}

paired() { # name, script: the plain server right before ours, same load; ours as a ratio to it
  local name=$1 script=$2 plain_rps plain_p99
  measure "$plain" "plain $name" "$script"
  plain_rps=$rps plain_p99=$p99
  measure "$base" "$name" "$script"
  figure[$name]="$(awk -v a="$rps" -v b="$plain_rps" 'BEGIN{printf "%.2f", a / b}')x"
  printf '| %s | %.0f | %s (plain %.0f req/s, p99 %s ms) | %s | %s | %s |\n' "$name" "$rps" \
    "${figure[$name]}" "$plain_rps" "$plain_p99" "$p50" "$p99" "$errors"
}

# recorded NAME: the figure BENCHMARKS.md records for a scenario ("<ratio>x" or "<req/s> req/s"), or nothing
recorded() {
  awk -F' *[|] *' -v name="$1" '
    /^## / { in_section = ($0 ~ /^## Mission Status Service, as ratios/) }
    in_section && $2 == name { gsub(/,/, "", $3); print $3; exit }' "$root/BENCHMARKS.md"
}

# drift: compares every figure measured with the recorded one; 1 when one fell more than 20 %
drift() {
  local name now was worse=0
  for name in "${!figure[@]}"; do
    now=${figure[$name]} was=$(recorded "$name")
    if [ -z "$was" ]; then echo "check: $name: nothing recorded in BENCHMARKS.md" >&2; worse=1; continue; fi
    if awk -v now="${now%% *}" -v was="${was%% *}" 'BEGIN{ sub(/x$/, "", now); sub(/x$/, "", was); exit !(now < 0.8 * was) }'; then
      echo "check: $name: $now, more than 20 % below the $was recorded" >&2; worse=1
    else
      echo "check: $name: $now (recorded $was)"
    fi
  done
  return $worse
}

echo "| scenario | req/s | ratio to the plain server | p50 ms | p99 ms | non-2xx/3xx |"
echo "|---|---|---|---|---|---|"
run "rollup, matching ETag (304)" rollup.lua etags
run "rollup, no ETag (200)" rollup.lua
paired "history, limit 50" history.lua
paired "record an update (201)" record.lua
stop_plain
rows=$(mariadb -uroot -N "$schema" -e "SELECT COUNT(*) FROM status_updates")
rss_kb=$(ps -o rss= -p "$status_pid" | tr -d ' ')
stop_status
start_jar; restart_ms=$started_ms
echo
echo "launcher start to ready: ${ready_ms} ms (first start), ${restart_ms} ms (restart); RSS after the runs: $((rss_kb / 1024)) MiB; rows in status_updates: $rows"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if $check_drift; then
  echo
  drift || exit 3
fi
