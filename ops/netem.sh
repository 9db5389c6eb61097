#!/usr/bin/env bash
# Simulated network trouble for resilience experiments: delay, jitter, loss or a partition on a
# container's or an interface's traffic, for a bounded time, always reverted.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

container=""
interface=""
to=""
delay=""
jitter=""
loss=""
partition=0
duration=""
max_duration=3600

usage() {
  cat <<USAGE
Usage: $(basename "$0") (--container NAME | --interface IFACE) [trouble] --duration TIME [options]

Applies tc netem to the egress of a compose container (inside its network namespace) or of an
interface, waits TIME, then removes it. Ctrl-C, an error or the end of TIME all revert it.

  --container NAME   a running container (docker compose ps shows the names), e.g. mission-alert-1
  --interface IFACE  a host interface instead, e.g. eth0
  --to HOST          only traffic to HOST (a name, e.g. mysql, resolved in the container, or an IPv4)
  --delay MS         added latency, e.g. 200ms
  --jitter MS        latency variation (with --delay), e.g. 50ms
  --loss PCT         packets dropped, e.g. 30%
  --partition        drop everything (with --to: a partition from HOST only)
  --duration TIME    how long, e.g. 90s or 5m (at most ${max_duration}s)
  --dry-run          print the commands instead of running them
  -h, --help         this help

Example (README, "Resilience experiments"): 30 % loss from the status service to the database
  sudo ops/netem.sh --container mission-status-1 --to mysql --loss 30% --duration 2m
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --container) container=${2:?--container needs a name}; shift ;;
    --interface) interface=${2:?--interface needs a name}; shift ;;
    --to) to=${2:?--to needs a host}; shift ;;
    --delay) delay=${2:?--delay needs a time}; shift ;;
    --jitter) jitter=${2:?--jitter needs a time}; shift ;;
    --loss) loss=${2:?--loss needs a percentage}; shift ;;
    --partition) partition=1 ;;
    --duration) duration=$(seconds "${2:?--duration needs a time}"); shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

[[ -n $container || -n $interface ]] || die "name a --container or an --interface"
[[ -z $container || -z $interface ]] || die "--container and --interface exclude each other"
[[ -n $duration ]] || die "--duration is required: trouble is always bounded"
(( duration > 0 && duration <= max_duration )) || die "--duration must be between 1s and ${max_duration}s"
[[ -z $delay || $delay =~ ^[0-9]+(us|ms|s)$ ]] || die "--delay: expected e.g. 200ms, got $delay"
[[ -z $jitter || $jitter =~ ^[0-9]+(us|ms|s)$ ]] || die "--jitter: expected e.g. 50ms, got $jitter"
[[ -z $jitter || -n $delay ]] || die "--jitter needs --delay"
[[ -z $loss || $loss =~ ^[0-9]+(\.[0-9]+)?%$ ]] || die "--loss: expected e.g. 30%, got $loss"

netem=()
if [[ $partition == 1 ]]; then
  netem=(loss 100%)
else
  [[ -n $delay ]] && netem+=(delay "$delay") && [[ -n $jitter ]] && netem+=("$jitter" distribution normal)
  [[ -n $loss ]] && netem+=(loss "$loss")
fi
(( ${#netem[@]} > 0 )) || die "no trouble given: --delay, --loss or --partition"

# where tc runs: the host, or inside the container's network namespace (its interface is eth0)
ns=()
dev=${interface:-eth0}
if [[ -n $container ]]; then
  if [[ $DRY_RUN == 1 ]]; then
    pid=PID
  else
    pid=$(docker inspect --format '{{.State.Pid}}' "$container") || die "no such container: $container"
    [[ $pid != 0 ]] || die "container $container is not running"
  fi
  ns=(nsenter --target "$pid" --net)
fi

target_ip=""
if [[ -n $to ]]; then
  if [[ $to =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then
    target_ip=$to
  elif [[ $DRY_RUN == 1 ]]; then
    target_ip=IP-OF-$to
  elif [[ -n $container ]]; then
    target_ip=$(docker exec "$container" getent ahostsv4 "$to" | awk 'NR == 1 { print $1 }')
  else
    target_ip=$(getent ahostsv4 "$to" | awk 'NR == 1 { print $1 }')
  fi
  [[ -n $target_ip ]] || die "cannot resolve $to"
fi

revert() {
  as_root "${ns[@]}" tc qdisc del dev "$dev" root 2>/dev/null || true
  log "reverted: $dev ${container:+in $container }is back to normal"
}
trap revert EXIT
trap 'exit 130' INT TERM

if [[ -n $target_ip ]]; then
  # a priority qdisc whose third band carries the trouble; only packets to the target go there
  as_root "${ns[@]}" tc qdisc add dev "$dev" root handle 1: prio
  as_root "${ns[@]}" tc qdisc add dev "$dev" parent 1:3 handle 30: netem "${netem[@]}"
  as_root "${ns[@]}" tc filter add dev "$dev" protocol ip parent 1:0 prio 3 u32 match ip dst "$target_ip/32" flowid 1:3
else
  as_root "${ns[@]}" tc qdisc add dev "$dev" root netem "${netem[@]}"
fi
log "applied netem ${netem[*]} on $dev${container:+ in $container}${target_ip:+ to $target_ip} for ${duration}s"
run sleep "$duration"
