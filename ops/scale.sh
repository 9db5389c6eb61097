#!/usr/bin/env bash
# Changes how many containers of each role run, without restarting the others.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

dir=$(cd "$here/.." && pwd)
aws=0
scales=()

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--aws] [--dry-run] ROLE=N [ROLE=N...]

  ROLE=N     run N containers of ROLE: status and monitor scale out (the gateway spreads API
             requests over the status containers); alert and backup stay active on one container,
             extra ones stand by and take over within seconds when it fails
  --aws      the production files (docker-compose.aws.yml)
  --dry-run  print the command instead of running it
  -h, --help this help

Example: $(basename "$0") monitor=3 status=2
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --aws) aws=1 ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *=*) [[ $1 =~ ^(status|monitor|alert|backup)=[0-9]+$ ]] || die "expected ROLE=N with ROLE status, monitor, alert or backup, got $1"
         [[ $1 != status=0 ]] || log "warning: status=0 leaves the API (and the gateway's health) without a backend"
         scales+=(--scale "$1") ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done
(( ${#scales[@]} > 0 )) || { usage >&2; die "nothing to scale"; }

files=(-f "$dir/docker-compose.yml")
if [[ $aws == 1 ]]; then files+=(-f "$dir/docker-compose.aws.yml"); else files+=(-f "$dir/docker-compose.override.yml"); fi
run docker compose --project-directory "$dir" "${files[@]}" up -d --no-recreate "${scales[@]}"
