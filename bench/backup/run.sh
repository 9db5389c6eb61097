#!/usr/bin/env bash
# shellcheck disable=SC2086,SC2015  # JVM option lists are split into words on purpose; cleanup ignores what is gone
# Backup benchmark (issue: Data Backup Service). See bench/README.md.
#
# Loads BENCH_ROWS (default 1,000,000) status updates into a fresh schema on the machine's MariaDB
# (the tables made by the status role's own migrations), then, in the same run:
#   mariadb-dump --single-transaction | gzip to a file; the backup role to S3 (S3Proxy in its own
#   JVM, objects on disk) and to data/backups, each by one deployed role taking BENCH_WARMUP_RUNS (4)
#   and then BENCH_RUNS (5) backups, with the dump again right before each backup; BENCH_RESTORE_RUNS
#   (4) restores from S3 into another schema, each next to a gunzip | mariadb of the dump. Each phase
#   in a JVM of its own with -Xmx256m.
# Prints a Markdown table: time (a backup's or restore's with its speed against its baseline), rows/s,
# MB/s of compressed output, size, peak heap, peak RSS, and the CPU core-seconds of the phase's own
# processes and of MariaDB; then, per store, the first backup's speed and the measured runs' median,
# and the restores' median.
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
  [ -n "${db_affinity:-}" ] && taskset -a -p -c "$db_affinity" "$db_pid" > /dev/null || true
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
# BENCH_DB_CPUS and BENCH_CLIENT_CPUS (e.g. 0 and 1): the database server and S3Proxy on the first
# CPUs, everything measured on the second, as when the database and S3 are other hosts; the server's
# own affinity is put back on exit
client=() services=()
if [ -n "${BENCH_DB_CPUS:-}" ]; then
  [ -n "$db_pid" ] && [ -n "${BENCH_CLIENT_CPUS:-}" ] || { echo "BENCH_DB_CPUS needs BENCH_CLIENT_CPUS and the server on this machine" >&2; exit 1; }
  db_affinity=$(taskset -p -c "$db_pid" | awk '{print $NF}')
  taskset -a -p -c "$BENCH_DB_CPUS" "$db_pid" > /dev/null
  client=(taskset -c "$BENCH_CLIENT_CPUS") services=(taskset -c "$BENCH_DB_CPUS")
fi
db_ticks() { if [ -n "$db_pid" ]; then awk '{print $14 + $15}' "/proc/$db_pid/stat"; else echo 0; fi; }
# runs a shell command; sets wall (s), cpu (its processes' user + system core-seconds) and db_cpu (the server's)
measure() {
  local db_before start TIMEFORMAT='%3U %3S'
  db_before=$(db_ticks); start=$(date +%s.%N)
  { time "${client[@]}" bash -o pipefail -c "$1" 2> "$work/measured.err"; } 2> "$work/time.out" || { cat "$work/measured.err"; exit 1; }
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(awk '{printf "%.2f", $1 + $2}' "$work/time.out")
  db_cpu=$([ -n "$db_pid" ] && echo "$(db_ticks) $db_before" | awk '{printf "%.2f", ($1 - $2) / 100}' || echo —)
}
echo "| phase | time | rows/s | MB/s (compressed) | size | peak heap | peak RSS | CPU core-s: ours / MariaDB |"
echo "|---|---|---|---|---|---|---|---|"
dump="mariadb-dump -uroot --single-transaction $schema | gzip > '$work/dump.sql.gz'"
dump_label="mariadb-dump --single-transaction \\| gzip (file)"
# one dump first: it is the restore baseline's input, and it reads the table into the server's buffer pool
measure "$dump"
dump_mb=$(stat -c %s "$work/dump.sql.gz" | awk '{printf "%.1f", $1 / 1e6}')
echo "| $dump_label | $(printf %.2f "$wall") s | $(echo "$rows / $wall" | bc) rows/s | $(echo "$dump_mb / $wall" | bc -l | xargs printf %.1f) MB/s | $dump_mb MB | — | — | $cpu / $db_cpu |"

# the backup module's test classpath (S3Proxy), with its sibling modules as this build packages them,
# so nothing needs to be installed in ~/.m2 first; each module writes its own list, ours is read
(cd "$root" && ./mvnw -q -B package dependency:build-classpath -DskipTests -pl backup-verticle -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath)
classpath="$(cat "$root/backup-verticle/target/bench.classpath"):$root/backup-verticle/target/classes"
# compiled here, not run as a source file: the source launcher runs javac inside the measured JVM,
# whose compilation of javac's own code would still be going on during the first backup
javac -d "$work/bench-classes" -cp "$classpath" "$here/BackupBench.java"
"${services[@]}" java -Dlogback.configurationFile="$here/logback.xml" -cp "$classpath" "$here/S3ProxyMain.java" "$work/s3" bench > "$work/s3.log" 2>&1 &
s3_pid=$!
until grep -q S3PROXY_LISTENING "$work/s3.log"; do kill -0 "$s3_pid" || { cat "$work/s3.log"; exit 1; }; sleep 0.2; done
s3="http://127.0.0.1:$(awk '/S3PROXY_LISTENING/{print $2}' "$work/s3.log")"

phase() { # label, phase, extra env...
  local label=$1 what=$2; shift 2
  env BENCH_LABEL="$label" BENCH_DB_URL="$db_url" BENCH_DB_PID="$db_pid" "$@" "${client[@]}" java $heap -Dlogback.configurationFile="$here/logback.xml" -cp "$classpath:$work/bench-classes" BackupBench "$what" > "$work/phase.log" 2>&1 \
    || { cat "$work/phase.log"; exit 1; }
  grep '^|' "$work/phase.log"
  grep '^SPEED' "$work/phase.log" | sed 's/^SPEED //' >> "$work/speeds" || true
  grep '^RESTORE_SPEED' "$work/phase.log" | awk '{print $2}' >> "$work/restore-speeds" || true
}
# backups by one deployed role, warm-up runs first (as JMH does; the first is a fresh JVM's), the dump
# right before each backup: every pair is measured in the same state of the machine
paired=(BENCH_WARMUP_RUNS="${BENCH_WARMUP_RUNS:-4}" BENCH_RUNS="${BENCH_RUNS:-5}" BENCH_BASELINE="$dump" BENCH_BASELINE_LABEL="$dump_label" BENCH_BASELINE_FILE="$work/dump.sql.gz")
# S3 stands in for a service that is never a cold JVM: one unmeasured backup warms S3Proxy first
phase "(S3Proxy warm-up, not a result)" backup BENCH_DATA_DIR="$work/s3-warm-up" BENCH_S3_ENDPOINT="$s3" BENCH_WARMUP_RUNS=0 BENCH_RUNS=1 > /dev/null
phase "backup role → S3 (multipart, level ${BENCH_COMPRESSION_LEVEL:-1})" backup BENCH_DATA_DIR="$work/s3-run" BENCH_S3_ENDPOINT="$s3" "${paired[@]}"
if [ -z "${BENCH_BACKUP_ONLY:-}" ]; then
  # BENCH_RESTORE_RUNS restores, each by a fresh JVM (as the restore command runs), each next to
  # gunzip | mariadb of the dump, both into empty schemas; a load leaves the server work to do (dirty
  # pages to flush) for whatever comes next, so the two take turns at going first
  for run in $(seq 1 "${BENCH_RESTORE_RUNS:-4}"); do
    bench_schemas ${schema}_dump ${schema}_restore
    order=$( ((run % 2)) && echo before || echo after)
    phase "restore ← S3 (checksums first), run $run" restore BENCH_DATA_DIR="$work/s3-run" BENCH_S3_ENDPOINT="$s3" \
      BENCH_BACKUP_ID="$(cat "$work/s3-run/backup-id")" BENCH_RESTORE_DB_URL="mysql://mission:mission@127.0.0.1:3306/${schema}_restore" \
      BENCH_BASELINE="gunzip -c '$work/dump.sql.gz' | mariadb -uroot ${schema}_dump" BENCH_BASELINE_ORDER=$order \
      BENCH_BASELINE_LABEL="gunzip \\| mariadb (restore), $order run $run"
  done
  sort -n "$work/restore-speeds" | awk '{s[NR] = $1} END {m = NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2;
    printf "restore ← S3, against gunzip | mariadb next to each: %.2f× (median; %.2f-%.2f×)\n", m, s[1], s[NR]}' >> "$work/speeds"
fi
phase "backup role → data/backups (level ${BENCH_COMPRESSION_LEVEL:-1})" backup BENCH_DATA_DIR="$work/local-run" "${paired[@]}"
echo
cat "$work/speeds"
restored=skipped
[ -z "${BENCH_BACKUP_ONLY:-}" ] && restored=$(mariadb -uroot -N "${schema}_restore" -e 'SELECT COUNT(*) FROM status_updates')
echo "rows: $rows; JVM options: $heap; restored row count: $restored${BENCH_DB_CPUS:+; database and S3Proxy on CPUs $BENCH_DB_CPUS, the rest on CPUs $BENCH_CLIENT_CPUS}"
