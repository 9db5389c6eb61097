#!/usr/bin/env bash
# The pipeline's staging check (CodeBuild project mission-control-verify): through the load balancer,
# with the header that routes to the staging service, waits for /health/ready, then records a status
# update and reads it back from the mission's rollup. Fails (and so stops the pipeline before the
# approval) when staging is not ready in time, refuses the write, or does not return what it stored.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

url=${MC_VERIFY_URL:-}
header=${MC_VERIFY_HEADER:-}
token=${MC_VERIFY_TOKEN:-}
mission=${MC_VERIFY_MISSION:-pipeline-check}
timeout=$(seconds "${MC_VERIFY_TIMEOUT:-5m}")
interval=$(seconds "${MC_VERIFY_INTERVAL:-5}")

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--url URL] [--header 'NAME: VALUE'] [--mission ID] [--timeout DURATION]

Checks a Mission Control deployment through its load balancer: GET /health/ready until it answers
200 (for at most --timeout), then POST a status update to mission ID (created if missing) and GET
the mission's status until that update is its latest. The bearer token is MC_VERIFY_TOKEN
(CodeBuild reads it from Secrets Manager); it is never taken from the command line.

  --url URL         the API's base URL (MC_VERIFY_URL), e.g. https://mission.example
  --header H        a header sent with every request (MC_VERIFY_HEADER), e.g. 'X-Mission-Stage: staging'
  --mission ID      the mission the check writes to (MC_VERIFY_MISSION, default $mission)
  --timeout D       how long staging may take to get ready (MC_VERIFY_TIMEOUT, default 5m)
  -h, --help        this help
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --url) url=${2:?--url needs a URL}; shift ;;
    --header) header=${2:?--header needs NAME: VALUE}; shift ;;
    --mission) mission=${2:?--mission needs an id}; shift ;;
    --timeout) timeout=$(seconds "${2:?--timeout needs a duration}"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

[[ $url =~ ^https?://[^/]+$ ]] || die "--url (or MC_VERIFY_URL) needs a base URL without a path, got '$url'"
[[ -n $token ]] || die "MC_VERIFY_TOKEN is not set: the check writes a status update and needs an API token"
[[ $mission =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "--mission: a slug (a-z, 0-9, -), got '$mission'"

body=$(mktemp)
trap 'rm -f "$body"' EXIT

# request METHOD PATH [JSON]: the response body into $body, the HTTP status on stdout (000 when unreachable)
request() {
  local args=(--silent --show-error --max-time 10 --output "$body" --write-out '%{http_code}' -X "$1"
    -H "Authorization: Bearer $token" -H 'Accept: application/json')
  [[ -z $header ]] || args+=(-H "$header")
  if [[ $# -ge 3 ]]; then args+=(-H 'Content-Type: application/json' --data "$3"); fi
  curl "${args[@]}" "$url$2" || echo 000
}

deadline=$(( SECONDS + timeout ))
log "waiting for $url/health/ready${header:+ ($header)}, at most ${timeout}s"
until [[ $(request GET /health/ready) == 200 ]]; do
  (( SECONDS < deadline )) || die "not ready within ${timeout}s: $(head -c 300 "$body")"
  sleep "$interval"
done
log "ready"

code=$(request GET "/api/v1/missions/$mission")
if [[ $code == 404 ]]; then
  code=$(request POST /api/v1/missions "{\"id\":\"$mission\",\"name\":\"Pipeline check\",\"expectedReportSeconds\":86400}")
  [[ $code == 201 ]] || die "creating mission $mission: HTTP $code $(head -c 300 "$body")"
  log "created mission $mission"
elif [[ $code != 200 ]]; then
  die "reading mission $mission: HTTP $code $(head -c 300 "$body")"
fi

# a message no earlier run wrote: the build's id, or the time
marker="pipeline check ${CODEBUILD_BUILD_ID:-local}-$(date -u +%Y%m%dT%H%M%SZ)-$$"
code=$(request POST "/api/v1/missions/$mission/updates" "{\"subsystem\":\"pipeline\",\"level\":\"NOMINAL\",\"message\":\"$marker\"}")
[[ $code == 201 ]] || die "recording a status update: HTTP $code $(head -c 300 "$body")"
log "recorded: $marker"

code=$(request GET "/api/v1/missions/$mission/status")
[[ $code == 200 ]] || die "reading the status back: HTTP $code $(head -c 300 "$body")"
grep -qF "\"$marker\"" "$body" || die "the status read back does not hold the update just recorded: $(head -c 500 "$body")"
log "read back: staging serves the API"
