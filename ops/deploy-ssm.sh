#!/usr/bin/env bash
# The host path of the pipeline: runs ops/deploy.sh on EC2 hosts through SSM Run Command, waits for
# it, prints each host's output and fails when any host's deploy failed (deploy.sh rolled it back).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

targets=()
dir=/opt/mission-control
deploy_args=()
timeout=900

usage() {
  cat <<USAGE
Usage: $(basename "$0") (--instance ID ... | --tag KEY=VALUE) [options] [-- DEPLOY_OPTIONS...]

Runs ops/deploy.sh on the hosts through SSM Run Command (document AWS-RunShellScript) as root,
waits until every host has finished, prints what each one printed, and exits non-zero if any
host's deploy failed. The hosts need the SSM agent and an instance profile with
AmazonSSMManagedInstanceCore; the caller needs ssm:SendCommand and ssm:GetCommandInvocation.

  --instance ID     an EC2 instance to deploy on (repeatable)
  --tag KEY=VALUE   every instance with this tag (e.g. Role=mission-control)
  --dir PATH        the checkout on the hosts (default $dir)
  --timeout SEC     how long one host's deploy may take (default $timeout)
  --dry-run         print the aws commands instead of running them
  -h, --help        this help
  -- OPTIONS        passed to deploy.sh on each host, e.g. -- --aws --scale monitor=1
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --instance) [[ ${2:-} =~ ^i-[0-9a-f]{8,17}$ ]] || die "--instance needs an instance id (i-...)"
                targets+=("$2"); shift ;;
    --tag) [[ ${2:-} =~ ^[^=]+=.+$ ]] || die "--tag needs KEY=VALUE"; tag=$2; shift ;;
    --dir) dir=${2:?--dir needs a path}; shift ;;
    --timeout) timeout=$(seconds "${2:?--timeout needs seconds}"); shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; deploy_args=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [[ -n ${tag:-} && ${#targets[@]} -gt 0 ]]; then die "give --instance or --tag, not both"; fi
if [[ -z ${tag:-} && ${#targets[@]} -eq 0 ]]; then usage >&2; die "no hosts: give --instance ID or --tag KEY=VALUE"; fi

if [[ -n ${tag:-} ]]; then
  target_args=(--targets "Key=tag:${tag%%=*},Values=${tag#*=}")
else
  target_args=(--instance-ids "${targets[@]}")
fi

# the one line each host runs; its words quoted so that a --scale or --branch arrives as given
line="cd $(printf '%q' "$dir") && ops/deploy.sh"
for arg in "${deploy_args[@]}"; do line+=" $(printf '%q' "$arg")"; done
parameters=$(printf '{"commands":[%s],"executionTimeout":["%s"]}' "$(json_string "$line")" "$timeout")

log "sending to ${tag:-${targets[*]}}: $line"
if [[ $DRY_RUN == 1 ]]; then
  run aws ssm send-command --document-name AWS-RunShellScript "${target_args[@]}" \
    --comment "mission-control deploy" --parameters "$parameters" --query Command.CommandId --output text
  exit 0
fi
command_id=$(aws ssm send-command --document-name AWS-RunShellScript "${target_args[@]}" \
  --comment "mission-control deploy" --parameters "$parameters" --query Command.CommandId --output text)
log "command $command_id"

deadline=$(( SECONDS + timeout + 60 ))
failed=0
while :; do
  read -r -a hosts <<< "$(aws ssm list-command-invocations --command-id "$command_id" --query 'CommandInvocations[].InstanceId' --output text)"
  pending=0
  for host in "${hosts[@]}"; do
    state=$(aws ssm get-command-invocation --command-id "$command_id" --instance-id "$host" --query Status --output text)
    case $state in
      Pending|InProgress|Delayed) pending=1 ;;
    esac
  done
  (( ${#hosts[@]} > 0 && pending == 0 )) && break
  (( SECONDS < deadline )) || die "command $command_id did not finish within $(( timeout + 60 )) s"
  sleep 5
done
for host in "${hosts[@]}"; do
  state=$(aws ssm get-command-invocation --command-id "$command_id" --instance-id "$host" --query Status --output text)
  log "$host: $state"
  aws ssm get-command-invocation --command-id "$command_id" --instance-id "$host" --query StandardOutputContent --output text
  if [[ $state != Success ]]; then
    aws ssm get-command-invocation --command-id "$command_id" --instance-id "$host" --query StandardErrorContent --output text >&2
    failed=1
  fi
done
(( failed == 0 )) || die "the deploy failed on at least one host (deploy.sh started the previous version again there)"
log "deployed on ${#hosts[@]} host(s)"
