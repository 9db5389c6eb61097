# shellcheck shell=bash
# What the benches share, sourced by bench/*/run.sh: fresh schemas on the machine's MariaDB, the
# packaged launcher running the status role against one, missions through its API, and status
# updates straight into its table.

# bench_schemas NAME...: drops and creates each schema (utf8mb4_bin), and the user the launcher connects as
bench_schemas() {
  local sql="" schema
  for schema in "$@"; do
    sql+="DROP DATABASE IF EXISTS $schema; CREATE DATABASE $schema CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; "
  done
  mariadb -uroot -e "$sql CREATE USER IF NOT EXISTS 'mission'@'127.0.0.1' IDENTIFIED BY 'mission';
    GRANT ALL ON *.* TO 'mission'@'127.0.0.1';"
}

# start_status JAR SCHEMA PORT TOKEN DIR [JAVA OPTION...]: the launcher with the status role only, its
# data and log (status.log) in DIR; sets status_pid and returns once /health/ready answers, or
# exits showing the log if the launcher died first
start_status() {
  local jar=$1 schema=$2 port=$3 token=$4 dir=$5
  shift 5
  mkdir -p "$dir"
  # every bench client comes from 127.0.0.1, with more connections (1000 streams) than the per-address cap allows one client
  MC_HTTP_MAX_CONNECTIONS_PER_CLIENT=${MC_HTTP_MAX_CONNECTIONS_PER_CLIENT:-0} \
  MC_DB_URL="mysql://mission:mission@127.0.0.1:3306/$schema" MC_API_TOKENS="$token" MC_HTTP_PORT=$port \
    MC_DATA_DIR="$dir/data" MC_LOG_LEVEL=WARN java "$@" -jar "$jar" --roles status > "$dir/status.log" 2>&1 &
  status_pid=$!
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
    kill -0 "$status_pid" 2>/dev/null || { cat "$dir/status.log"; exit 1; }
    sleep 0.05
  done
}

# stop_status: stops what start_status started, if it runs (safe in an EXIT trap)
stop_status() {
  if [ -n "${status_pid:-}" ]; then
    if kill "$status_pid" 2>/dev/null; then
      wait "$status_pid" 2>/dev/null || true # the launcher's exit status (143 after a TERM), not the bench's
    fi
    status_pid=
  fi
  return 0
}

# add_missions PORT TOKEN COUNT: missions bench-1 .. bench-COUNT, through the API
add_missions() {
  local i
  for i in $(seq 1 "$3"); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$1/api/v1/missions" -H "Authorization: Bearer $2" \
      -H 'Content-Type: application/json' \
      -d "{\"id\":\"bench-$i\",\"name\":\"Bench $i\",\"phase\":\"CRUISE\",\"expectedReportSeconds\":86400}"
  done
}

# add_updates SCHEMA ROWS MISSIONS: ROWS status updates straight into the table (MariaDB's sequence
# engine), spread over the missions and the subsystems, one second apart up to now. The subsystem
# and level counters step once per round over the missions (seq DIV missions): with seq % 8 they
# would share a factor with the mission count (seq % 100 gave each mission 2 of its 8 subsystems,
# so the rollup measured was a quarter of a real one), and every mission reports every subsystem.
add_updates() {
  mariadb -uroot "$1" -e "
    INSERT INTO status_updates (mission_id, subsystem, level, message, telemetry, recorded_at)
    SELECT CONCAT('bench-', 1 + seq % $3),
           ELT(1 + (seq DIV $3) % 8, 'comms','propulsion','power','thermal','navigation','life-support','payload','attitude'),
           ELT(1 + (seq DIV ($3 * 8)) % 4, 'NOMINAL','WATCH','WARNING','CRITICAL'),
           CONCAT('historic report ', seq), JSON_OBJECT('seq', seq, 'temperatureK', 250 + seq % 50),
           NOW(6) - INTERVAL ($2 - seq) SECOND
    FROM seq_1_to_$2;"
}
