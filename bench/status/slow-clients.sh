#!/usr/bin/env bash
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is split into words on purpose
# Normal requests while slow clients hang on (issue: faults and the contract, item 7): 50 connections
# that each send one header byte every 5 s (reconnecting when the server cuts them) stay attached
# while wrk reads a mission's rollup (64 connections, 10 s, after 3 s of warm-up). With two jars
# (before and after a change), the runs alternate, ROUNDS times. Prints req/s and p99 per run.
#   bench/status/slow-clients.sh [ROUNDS] [JAR [JAR]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$here/../lib.sh"
rounds=${1:-2}
shift || true
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$root/mission-control/target/mission-control.jar")
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
port=${BENCH_PORT:-18095}
slow=${BENCH_SLOW_CLIENTS:-50}
schema=mc_bench_slow
token="bench-token-$(date +%s)-0123456789"
work=$(mktemp -d)
drippers=()
stop_drippers() { if [ ${#drippers[@]} -gt 0 ]; then kill "${drippers[@]}" 2>/dev/null || true; wait "${drippers[@]}" 2>/dev/null || true; drippers=(); fi; }
trap 'stop_drippers; stop_status; rm -rf "$work"' EXIT

# drip UNTIL: one slow client until the epoch second UNTIL: a request head one byte every 5 s, a new
# connection whenever the server closes this one (bounded: it ends at UNTIL whatever happens)
drip() {
  local until=$1
  while (( $(date +%s) < until )); do
    if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
      printf 'GET /api/v1/missions HTTP/1.1\r\n' >&3 || true
      while (( $(date +%s) < until )) && printf 'X' >&3 2>/dev/null; do sleep 5; done
      exec 3>&- 3<&-
    fi
    sleep 1
  done
}

for run in $(seq 1 "$rounds"); do
  for jar in "${jars[@]}"; do
    bench_schemas $schema
    # (lib.sh turns the per-address cap off: the drippers and wrk are all 127.0.0.1)
    start_status "$jar" $schema "$port" "$token" "$work/run" ${BENCH_JAVA_OPTS:-}
    add_missions "$port" "$token" 1
    until=$(( $(date +%s) + 20 ))
    for _ in $(seq 1 "$slow"); do drip "$until" & drippers+=($!); done
    sleep 2
    url="http://127.0.0.1:$port/api/v1/missions/bench-1/status"
    wrk -t2 -c64 -d3s "$url" > /dev/null
    wrk -t2 -c64 -d10s --latency "$url" > "$work/wrk.txt"
    open=$(ss -Htn state established "( sport = :$port )" | wc -l)
    printf 'round %s, %s: %s req/s, p99 %s, connections open at the end %s (%s slow clients dripping)\n' "$run" "$(basename "$jar")" \
      "$(awk '/^Requests\/sec/{print $2}' "$work/wrk.txt")" "$(awk '$1=="99%"{print $2}' "$work/wrk.txt")" "$open" "$slow"
    stop_drippers
    stop_status
  done
done
