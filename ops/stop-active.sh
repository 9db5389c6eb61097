#!/usr/bin/env bash
# The drill "kill the active instance" of a singleton role (alert or backup) on one Docker host:
# finds the container that holds the role's lease and kills it with SIGKILL, as a crash would, so
# the standby must take over. Works for compose (one EC2 host) and on ECS container instances (the
# drills stack runs it there through SSM Run Command on every instance; only the host that has the
# active container acts). Which container is active is read off each one's own /metrics
# (mission_singleton_active{role="..."} 1), from inside the container, whatever network it is on.
# Self-contained (no ops/lib): the drills stack embeds this file in an SSM document.
set -euo pipefail

role=""
port=9090
none_ok=0
dry_run=0

say() { printf '%s %s\n' "$(date -u +%H:%M:%SZ)" "$*" >&2; }
die() { say "error: $1"; exit "${2:-1}"; }

usage() {
  cat <<USAGE
Usage: $(basename "$0") (alert | backup) [--port PORT] [--none-ok] [--dry-run]

Kills (SIGKILL) the container on this host that runs ROLE as the holder of its lease, found by
mission_singleton_active{role="ROLE"} 1 on the container's own /metrics. Containers are those of
the compose service ROLE or the ECS container ROLE.

  --port PORT   the management port inside the containers (MC_MANAGEMENT_PORT, default ${port})
  --none-ok     exit 0 when no container here is active (run on every host of a fleet)
  --dry-run     find the active container, print the kill command, kill nothing
  -h, --help    this help

Exit codes: 0 killed (or none here, with --none-ok); 3 no active container here; 4 more than one
container says it is active (a split brain: nothing is killed, look first).
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    alert|backup) [[ -z $role ]] || die "one role at a time"; role=$1 ;;
    --port) [[ ${2:-} =~ ^[0-9]{1,5}$ ]] || die "--port needs a port number"; port=$2; shift ;;
    --none-ok) none_ok=1 ;;
    --dry-run) dry_run=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1 (the roles with a lease are alert and backup)" ;;
  esac
  shift
done
[[ -n $role ]] || { usage >&2; die "no role: give alert or backup"; }

mapfile -t containers < <(
  { docker ps --filter "label=com.docker.compose.service=$role" --format '{{.ID}}'
    docker ps --filter "label=com.amazonaws.ecs.container-name=$role" --format '{{.ID}}'; } | sort -u)
active=()
for id in "${containers[@]}"; do
  [[ -n $id ]] || continue
  # read whole, then matched: grep -q on a pipe would stop reading at the match, and with pipefail
  # the writer's SIGPIPE would turn a match into a failure
  metrics=$(docker exec "$id" curl --fail --silent --max-time 3 "http://127.0.0.1:$port/metrics" 2>/dev/null) || continue
  if grep -Eq "^mission_singleton_active\{([^}]*,)?role=\"$role\"(,[^}]*)?\} 1(\.0)?$" <<<"$metrics"; then
    active+=("$id")
  fi
done

standing=$(( ${#containers[@]} - ${#active[@]} ))
case ${#active[@]} in
  0) if [[ $none_ok == 1 ]]; then say "no $role container on this host is active ($standing here); nothing to do"; exit 0; fi
     die "no $role container on this host is active (${#containers[@]} found)" 3 ;;
  1) ;;
  *) die "${#active[@]} $role containers say they are active (${active[*]}): a split brain? nothing killed" 4 ;;
esac

if [[ $dry_run == 1 ]]; then
  printf '+ docker kill --signal KILL %s\n' "${active[0]}"
else
  docker kill --signal KILL "${active[0]}" >/dev/null
fi
say "killed ${active[0]}, the active $role container ($standing other $role container(s) on this host)"
