#!/usr/bin/env bats
# ops/verify-staging.sh against a recording stand-in for curl first on PATH: a fake API that answers
# /health/ready (503 until its Nth call), keeps the update it is sent and returns it in the status.

setup() {
  ops=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
  stubs=$BATS_TEST_TMPDIR/bin
  mkdir -p "$stubs"
  export CURL_LOG=$BATS_TEST_TMPDIR/curl.log CURL_STATE=$BATS_TEST_TMPDIR/state
  mkdir -p "$CURL_STATE"
  : > "$CURL_LOG"
  export MC_VERIFY_URL=https://mission.example MC_VERIFY_HEADER='X-Mission-Stage: staging' MC_VERIFY_TOKEN=t0ken
  export MC_VERIFY_INTERVAL=0
  cat > "$stubs/curl" <<'STUB'
#!/usr/bin/env bash
method=GET out=/dev/stdout data= headers=()
while [[ $# -gt 1 ]]; do
  case $1 in
    -X) method=$2; shift ;;
    --output) out=$2; shift ;;
    --data) data=$2; shift ;;
    -H) headers+=("$2"); shift ;;
    --max-time|--write-out) shift ;;
  esac
  shift
done
url=$1
(IFS='|'; printf '%s|%s|%s\n' "$method" "$url" "${headers[*]}") >> "$CURL_LOG"
answer() { printf '%s' "$2" > "$out"; printf '%s' "$1"; }
case "$method ${url#https://mission.example}" in
  "GET /health/ready")
    calls=$(( $(cat "$CURL_STATE/ready" 2>/dev/null || echo 0) + 1 )); echo "$calls" > "$CURL_STATE/ready"
    if (( calls >= ${READY_AFTER:-1} )); then answer 200 '{"status":"UP"}'; else answer 503 '{"status":"DOWN"}'; fi ;;
  "GET /api/v1/missions/pipeline-check")
    if [[ -e $CURL_STATE/mission ]]; then answer 200 '{"id":"pipeline-check"}'; else answer 404 '{"title":"Not Found"}'; fi ;;
  "POST /api/v1/missions") printf '%s' "$data" > "$CURL_STATE/mission"; answer 201 '{"id":"pipeline-check"}' ;;
  "POST /api/v1/missions/pipeline-check/updates")
    if [[ -n ${REFUSE_UPDATE:-} ]]; then answer 503 '{"title":"Service Unavailable"}'; exit 0; fi
    printf '%s' "$data" > "$CURL_STATE/update"; answer 201 '{}' ;;
  "GET /api/v1/missions/pipeline-check/status")
    if [[ -n ${LOSE_UPDATE:-} ]]; then answer 200 '{"subsystems":[]}'; exit 0; fi
    answer 200 "{\"subsystems\":[$(cat "$CURL_STATE/update")]}" ;;
  *) echo "unexpected request: $method $url" >&2; exit 7 ;;
esac
STUB
  chmod +x "$stubs/curl"
  PATH=$stubs:$PATH
}

@test "verify-staging: --help, an unknown option, no token, a URL with a path" {
  run "$ops/verify-staging.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == Usage:* ]]
  run "$ops/verify-staging.sh" --no-such-option
  [ "$status" -ne 0 ]
  MC_VERIFY_TOKEN='' run "$ops/verify-staging.sh"
  [ "$status" -ne 0 ]
  [[ $output == *"MC_VERIFY_TOKEN is not set"* ]]
  run "$ops/verify-staging.sh" --url https://mission.example/api
  [ "$status" -ne 0 ]
  [ ! -s "$CURL_LOG" ]
}

@test "verify-staging: waits for ready, creates the mission, records an update and reads that one back, all through the staging header" {
  READY_AFTER=3 run "$ops/verify-staging.sh"
  [ "$status" -eq 0 ]
  [[ $output == *"read back: staging serves the API"* ]]
  run cut -d'|' -f1,2 "$CURL_LOG"
  [ "${lines[0]}" = "GET|https://mission.example/health/ready" ]
  [ "${lines[2]}" = "GET|https://mission.example/health/ready" ]
  [ "${lines[3]}" = "GET|https://mission.example/api/v1/missions/pipeline-check" ]
  [ "${lines[4]}" = "POST|https://mission.example/api/v1/missions" ]
  [ "${lines[5]}" = "POST|https://mission.example/api/v1/missions/pipeline-check/updates" ]
  [ "${lines[6]}" = "GET|https://mission.example/api/v1/missions/pipeline-check/status" ]
  [ "${#lines[@]}" -eq 7 ]
  # every request routed to staging and authorized
  [ "$(grep -c 'X-Mission-Stage: staging' "$CURL_LOG")" -eq 7 ]
  [ "$(grep -c 'Authorization: Bearer t0ken' "$CURL_LOG")" -eq 7 ]
  grep -q '"subsystem":"pipeline","level":"NOMINAL","message":"pipeline check ' "$CURL_STATE/update"
}

@test "verify-staging: an existing mission is written to, not created again" {
  echo '{}' > "$CURL_STATE/mission"
  run "$ops/verify-staging.sh"
  [ "$status" -eq 0 ]
  [ "$(grep -c '^POST|https://mission.example/api/v1/missions|' "$CURL_LOG")" -eq 0 ]
}

@test "verify-staging: fails when staging never gets ready within the timeout" {
  READY_AFTER=1000 MC_VERIFY_INTERVAL=1 run "$ops/verify-staging.sh" --timeout 2s
  [ "$status" -ne 0 ]
  [[ $output == *"not ready within 2s"* ]]
  [ "$(grep -c '/api/v1/' "$CURL_LOG")" -eq 0 ]
}

@test "verify-staging: fails when the write is refused or the update is not read back" {
  REFUSE_UPDATE=1 run "$ops/verify-staging.sh"
  [ "$status" -ne 0 ]
  [[ $output == *"recording a status update: HTTP 503"* ]]
  LOSE_UPDATE=1 run "$ops/verify-staging.sh"
  [ "$status" -ne 0 ]
  [[ $output == *"does not hold the update just recorded"* ]]
}
