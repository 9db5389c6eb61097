#!/usr/bin/env bash
# shellcheck disable=SC2086,SC2015  # JVM option lists are split into words on purpose; cleanup ignores what is gone
# Backup benchmark (issue: Data Backup Service). See bench/README.md.
#
# Loads BENCH_ROWS (default 1,000,000) status updates into a fresh schema on the machine's MariaDB
# (the tables made by the status role's own migrations), then, in the same run:
#   mariadb-dump --single-transaction | gzip to a file, and gunzip | mariadb into another schema;
#   the backup role to S3 (S3Proxy in its own JVM, objects on disk) and to data/backups, and restore
#   from S3 into another schema: each phase in a JVM of its own with -Xmx256m.
# Prints a Markdown table: time, rows/s, MB/s of compressed output, size, peak heap, peak RSS, and the
# CPU core-seconds of the phase's own processes and of MariaDB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$here/../lib.sh"
jar=${BENCH_JAR:-"$root/mission-control/target/mission-control.jar"}
rows=${BENCH_ROWS:-1000000}
heap=${BENCH_HEAP:--Xmx256m}
schema=mc_bench_backup
port=${BENCH_PORT:-18081}
token="bench-token-$(date +%s)-0123456789"
work=$(mktemp -d)
[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests install" >&2; exit 1; }
cleanup() {
  stop_status
  [ -n "${s3_pid:-}" ] && kill "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null || true
  mariadb -uroot -e "DROP DATABASE IF EXISTS $schema; DROP DATABASE IF EXISTS ${schema}_dump; DROP DATABASE IF EXISTS ${schema}_restore;" || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_schemas $schema ${schema}_dump ${schema}_restore
db_url="mysql://mission:mission@127.0.0.1:3306/$schema"

# the status role creates its tables; 100 missions through the API; then the updates straight into the table
start_status "$jar" $schema "$port" "$token" "$work/status"
add_missions "$port" "$token" 100
stop_status
add_updates $schema "$rows" 100

# the database server's CPU is part of every phase's cost (its process, if it runs on this machine)
db_pid=$(pidof mariadbd || pidof mysqld || true)
db_ticks() { if [ -n "$db_pid" ]; then awk '{print $14 + $15}' "/proc/$db_pid/stat"; else echo 0; fi; }
# runs a shell command; sets wall (s), cpu (its processes' user + system core-seconds) and db_cpu (the server's)
measure() {
  local db_before start TIMEFORMAT='%3U %3S'
  db_before=$(db_ticks); start=$(date +%s.%N)
  { time bash -o pipefail -c "$1" 2> "$work/measured.err"; } 2> "$work/time.out" || { cat "$work/measured.err"; exit 1; }
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(awk '{printf "%.2f", $1 + $2}' "$work/time.out")
  db_cpu=$([ -n "$db_pid" ] && echo "$(db_ticks) $db_before" | awk '{printf "%.2f", ($1 - $2) / 100}' || echo —)
}
echo "| phase | time | rows/s | MB/s (compressed) | size | peak heap | peak RSS | CPU core-s: ours / MariaDB |"
echo "|---|---|---|---|---|---|---|---|"
# the fastest of BENCH_DUMP_RUNS (default 3): the machine is shared, and the baseline gets the benefit of the doubt
dump_s=
for _ in $(seq 1 "${BENCH_DUMP_RUNS:-3}"); do
  measure "mariadb-dump -uroot --single-transaction $schema | gzip > '$work/dump.sql.gz'"
  if [ -z "$dump_s" ] || [ "$(echo "$wall < $dump_s" | bc)" = 1 ]; then dump_s=$wall; dump_cpu="$cpu / $db_cpu"; fi
done
dump_mb=$(stat -c %s "$work/dump.sql.gz" | awk '{printf "%.1f", $1 / 1e6}')
echo "| mariadb-dump --single-transaction \| gzip (file, fastest of ${BENCH_DUMP_RUNS:-3}) | $(printf %.1f "$dump_s") s | $(echo "$rows / $dump_s" | bc) rows/s | $(echo "$dump_mb / $dump_s" | bc -l | xargs printf %.1f) MB/s | $dump_mb MB | — | — | $dump_cpu |"
if [ -z "${BENCH_BACKUP_ONLY:-}" ]; then
  measure "gunzip -c '$work/dump.sql.gz' | mariadb -uroot ${schema}_dump"
  echo "| gunzip \| mariadb (restore) | $(printf %.1f "$wall") s | $(echo "$rows / $wall" | bc) rows/s | — | — | — | — | $cpu / $db_cpu |"
fi

classpath=$(cd "$root" && ./mvnw -q dependency:build-classpath -pl backup-verticle -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
classpath="$classpath:$root/backup-verticle/target/classes"
# compiled here, not run as a source file: the source launcher runs javac inside the measured JVM,
# whose compilation of javac's own code would still be going on during the first backup
javac -d "$work/bench-classes" -cp "$classpath" "$here/BackupBench.java"
java -Dlogback.configurationFile="$here/logback.xml" -cp "$classpath" "$here/S3ProxyMain.java" "$work/s3" bench > "$work/s3.log" 2>&1 &
s3_pid=$!
until grep -q S3PROXY_LISTENING "$work/s3.log"; do kill -0 "$s3_pid" || { cat "$work/s3.log"; exit 1; }; sleep 0.2; done
s3="http://127.0.0.1:$(awk '/S3PROXY_LISTENING/{print $2}' "$work/s3.log")"

phase() { # label, phase, extra env...
  local label=$1 what=$2; shift 2
  env BENCH_LABEL="$label" BENCH_DB_URL="$db_url" BENCH_DB_PID="$db_pid" "$@" java $heap -Dlogback.configurationFile="$here/logback.xml" -cp "$classpath:$work/bench-classes" BackupBench "$what" > "$work/phase.log" 2>&1 \
    || { cat "$work/phase.log"; exit 1; }
  grep '^|' "$work/phase.log"
}
# S3 stands in for a service that is never a cold JVM: one unmeasured backup warms S3Proxy first
phase "(S3Proxy warm-up, not a result)" backup BENCH_DATA_DIR="$work/s3-warm-up" BENCH_S3_ENDPOINT="$s3" BENCH_RUNS=1 > /dev/null
phase "backup role → S3 (multipart, level ${BENCH_COMPRESSION_LEVEL:-1})" backup BENCH_DATA_DIR="$work/s3-run" BENCH_S3_ENDPOINT="$s3"
if [ -z "${BENCH_BACKUP_ONLY:-}" ]; then
  phase "restore ← S3 (checksums first)" restore BENCH_DATA_DIR="$work/s3-run" BENCH_S3_ENDPOINT="$s3" \
    BENCH_BACKUP_ID="$(cat "$work/s3-run/backup-id")" BENCH_RESTORE_DB_URL="mysql://mission:mission@127.0.0.1:3306/${schema}_restore"
fi
phase "backup role → data/backups (level ${BENCH_COMPRESSION_LEVEL:-1})" backup BENCH_DATA_DIR="$work/local-run"
echo
restored=skipped
[ -z "${BENCH_BACKUP_ONLY:-}" ] && restored=$(mariadb -uroot -N "${schema}_restore" -e 'SELECT COUNT(*) FROM status_updates')
echo "rows: $rows; JVM options: $heap; restored row count: $restored"
