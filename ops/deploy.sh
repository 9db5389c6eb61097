#!/usr/bin/env bash
# The master script: latest code -> image -> containers -> healthy, monitoring and backups running.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

remote=${MC_GIT_REMOTE:-}
branch=${MC_GIT_BRANCH:-main}
dir=${MC_DEPLOY_DIR:-$(cd "$here/.." && pwd)}
aws=0
timeout=300
public_port=${MC_PUBLIC_PORT:-8080}
scales=()

usage() {
  cat <<USAGE
Usage: $(basename "$0") [options]

Pulls the latest code, builds the image (tagged with the commit), starts every service with
docker compose, waits until all are healthy, checks that the monitor reports and that backups are
scheduled, and prints where the API is. If the new version does not become healthy, the previous
image tag is started again and the script fails.

  --remote URL      git remote to pull from (default: MC_GIT_REMOTE, else the checkout's origin);
                    AWS CodeCommit URLs (https://git-codecommit.REGION.amazonaws.com/v1/repos/NAME)
                    use the AWS CLI's credential helper, so the instance profile is enough
  --branch NAME     branch to deploy (default: MC_GIT_BRANCH, else main)
  --dir PATH        the checkout (cloned there if missing; default: this repository)
  --aws             production: docker-compose.aws.yml (RDS, real AWS, logs to CloudWatch Logs)
  --scale ROLE=N    run N containers of ROLE (repeatable), e.g. --scale monitor=3
  --timeout SEC     how long to wait for health (default $timeout)
  --dry-run         print the commands instead of running them
  -h, --help        this help

The state (the tag now running, the one before) is kept in DIR/.deploy/.
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --remote) remote=${2:?--remote needs a URL}; shift ;;
    --branch) branch=${2:?--branch needs a name}; shift ;;
    --dir) dir=${2:?--dir needs a path}; shift ;;
    --aws) aws=1 ;;
    --scale) [[ ${2:-} =~ ^(status|monitor|alert|backup)=[0-9]+$ ]] || die "--scale ROLE=N with ROLE status, monitor, alert or backup"
             scales+=(--scale "$2"); shift ;;
    --timeout) timeout=$(seconds "${2:?--timeout needs seconds}"); shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

git_() {
  if [[ $remote == https://git-codecommit.* ]]; then
    run git -c "credential.helper=!aws codecommit credential-helper \$@" -c credential.UseHttpPath=true "$@"
  else
    run git "$@"
  fi
}

compose() {
  local files=(-f "$dir/docker-compose.yml")
  if [[ $aws == 1 ]]; then files+=(-f "$dir/docker-compose.aws.yml"); else files+=(-f "$dir/docker-compose.override.yml"); fi
  run env MC_TAG="$tag" docker compose --project-directory "$dir" "${files[@]}" "$@"
}

# 1. the code
if [[ ! -d $dir/.git ]]; then
  [[ -n $remote ]] || die "$dir is no checkout and no --remote was given"
  git_ clone --branch "$branch" "$remote" "$dir"
else
  [[ -n $remote ]] || remote=$(git -C "$dir" remote get-url origin)
  git_ -C "$dir" fetch "$remote" "$branch"
  git_ -C "$dir" checkout --detach FETCH_HEAD
fi
tag=$(git -C "$dir" rev-parse --short=12 HEAD 2>/dev/null || echo dry-run)
state=$dir/.deploy
run mkdir -p "$state"
previous=$(cat "$state/current-tag" 2>/dev/null || true)
log "deploying $tag (running now: ${previous:-nothing})"

# 2. the image and the containers
compose build
compose up -d --remove-orphans "${scales[@]}"

# 3. healthy within the timeout, else back to the previous tag
unhealthy() { # prints the services that are not (yet) healthy
  compose ps --all --format '{{.Service}} {{.State}} {{.Health}}' | awk '$2 != "running" || ($3 != "" && $3 != "healthy") { print $1 }' | sort -u
}
if [[ $DRY_RUN == 1 ]]; then
  log "dry run: would wait up to ${timeout}s for every service to be healthy"
else
  waited=0
  while waiting=$(unhealthy) && [[ -n $waiting ]]; do
    if (( waited >= timeout )); then
      log "not healthy after ${timeout}s: $(echo "$waiting" | tr '\n' ' ')"
      mapfile -t failing <<< "$waiting"
      compose logs --tail 30 "${failing[@]}" >&2 || true
      if [[ -n $previous && $previous != "$tag" ]]; then
        log "rolling back to $previous"
        tag=$previous compose up -d --remove-orphans "${scales[@]}"
      fi
      die "deploy of $tag failed"
    fi
    sleep 5; waited=$((waited + 5))
  done
fi

# 4. monitoring reports and backups are scheduled
api=http://127.0.0.1:$public_port
if [[ $DRY_RUN == 1 ]]; then
  log "dry run: would check $api/api/v1/system/resources and the backup role's schedule"
else
  for _ in $(seq 1 30); do
    curl -fsS "$api/api/v1/system/resources" | grep -q '"host"' && break
    sleep 2
  done || true
  curl -fsS "$api/api/v1/system/resources" | grep -q '"host"' || die "no monitor has reported to $api/api/v1/system/resources"
  schedule=$(compose logs backup | grep -o 'schedule [^;]*' | tail -1 || true)
  [[ -n $schedule && $schedule != "schedule off" ]] || die "the backup role has not scheduled backups (${schedule:-no schedule logged})"
  log "monitor reporting; backups: $schedule"
fi

if [[ $DRY_RUN == 0 ]]; then
  [[ $previous == "$tag" ]] || echo "$previous" > "$state/previous-tag"
  echo "$tag" > "$state/current-tag"
fi
log "Mission Control $tag is up: API at http://$(hostname -f 2>/dev/null || hostname):$public_port/api/v1/missions"
