#!/usr/bin/env bats
# ops/stop-active.sh with a recording stand-in for the docker CLI first on PATH (no Docker engine
# here): which containers it asks, that it kills exactly the one whose /metrics says it is active,
# and that it kills nothing when none or two say so.

setup() {
  script=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/stop-active.sh
  stubs=$BATS_TEST_TMPDIR/bin
  mkdir -p "$stubs"
  export DOCKER_LOG=$BATS_TEST_TMPDIR/docker.log
  : > "$DOCKER_LOG"
  # container id -> its gauge value; COMPOSE and ECS: the ids each label filter lists
  export ACTIVE_IDS="" COMPOSE="" ECS=""
  cat > "$stubs/docker" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$(IFS='|'; printf '%s' "$*")" >> "$DOCKER_LOG"
case $1 in
  ps)
    case $3 in
      label=com.docker.compose.service=*) for id in $COMPOSE; do echo "$id"; done ;;
      label=com.amazonaws.ecs.container-name=*) for id in $ECS; do echo "$id"; done ;;
    esac ;;
  exec)
    id=$2
    echo '# HELP mission_singleton_active 1 while this instance runs the role as its lease holder, 0 while it stands by'
    echo '# TYPE mission_singleton_active gauge'
    if [[ " $ACTIVE_IDS " == *" $id "* ]]; then echo 'mission_singleton_active{role="alert"} 1.0'; else echo 'mission_singleton_active{role="alert"} 0.0'; fi
    echo 'mission_singleton_active_other{role="alert"} 1.0' ;;
  kill) ;;
  *) echo "unexpected docker call: $*" >&2; exit 2 ;;
esac
STUB
  chmod +x "$stubs/docker"
  PATH=$stubs:$PATH
}

@test "kills exactly the compose container whose gauge says active, with SIGKILL" {
  COMPOSE="c0ffee01 c0ffee02" ACTIVE_IDS="c0ffee02" run "$script" alert
  [ "$status" -eq 0 ]
  [[ $output == *"killed c0ffee02, the active alert container (1 other"* ]]
  grep -qx 'ps|--filter|label=com.docker.compose.service=alert|--format|{{.ID}}' "$DOCKER_LOG"
  grep -qx 'ps|--filter|label=com.amazonaws.ecs.container-name=alert|--format|{{.ID}}' "$DOCKER_LOG"
  grep -qx 'exec|c0ffee01|curl|--fail|--silent|--max-time|3|http://127.0.0.1:9090/metrics' "$DOCKER_LOG"
  [ "$(grep -c '^kill' "$DOCKER_LOG")" -eq 1 ]
  grep -qx 'kill|--signal|KILL|c0ffee02' "$DOCKER_LOG"
}

@test "finds ECS containers by their container name, on the given management port" {
  ECS="ecs0001 ecs0002" ACTIVE_IDS="ecs0001" run "$script" alert --port 9191
  [ "$status" -eq 0 ]
  grep -qx 'exec|ecs0002|curl|--fail|--silent|--max-time|3|http://127.0.0.1:9191/metrics' "$DOCKER_LOG"
  grep -qx 'kill|--signal|KILL|ecs0001' "$DOCKER_LOG"
}

@test "no active container here: exit 3, or 0 with --none-ok; nothing killed" {
  COMPOSE="c0ffee01" run "$script" alert
  [ "$status" -eq 3 ]
  [[ $output == *"no alert container on this host is active"* ]]
  COMPOSE="c0ffee01" run "$script" alert --none-ok
  [ "$status" -eq 0 ]
  ! grep -q '^kill' "$DOCKER_LOG"
}

@test "two containers saying active: exit 4, nothing killed" {
  COMPOSE="c0ffee01 c0ffee02" ACTIVE_IDS="c0ffee01 c0ffee02" run "$script" alert
  [ "$status" -eq 4 ]
  [[ $output == *"split brain"* ]]
  ! grep -q '^kill' "$DOCKER_LOG"
}

@test "--dry-run prints the kill and kills nothing" {
  COMPOSE="c0ffee01" ACTIVE_IDS="c0ffee01" run "$script" alert --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"+ docker kill --signal KILL c0ffee01"* ]]
  ! grep -q '^kill' "$DOCKER_LOG"
}

@test "only roles with a lease; --help" {
  run "$script" status
  [ "$status" -eq 1 ]
  [[ $output == *"the roles with a lease are alert and backup"* ]]
  run "$script" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: stop-active.sh (alert | backup)"* ]]
  [ ! -s "$DOCKER_LOG" ]
}
