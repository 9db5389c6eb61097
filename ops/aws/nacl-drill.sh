#!/usr/bin/env bash
# The network-ACL drill: cuts one path of the AWS environment (the CDK app's VPC) for a bounded
# time, then puts everything back, also on Ctrl-C, on kill and on any error.
#
# The CDK's subnets all share the VPC's default network ACL, so a DENY added to it would cut every
# subnet at once. The drill therefore works as AWS FIS does: it copies the ACL of the subnets
# concerned, puts its DENY entries in front of the copied ones, moves only those subnets onto the
# copy, and at the end moves them back onto their own ACL (whose entries it never touched) and
# deletes the copy.
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$here/../lib/common.sh"

path=""
zone=""
duration=60
vpc=""
aws_region=()

usage() {
  cat <<USAGE
Usage: $(basename "$0") (db | internet | az ZONE) [--duration DURATION] [options]

Cuts one network path of the Mission Control VPC by network-ACL DENY entries, for a bounded time,
then restores the subnets' own ACLs (also on Ctrl-C, on TERM and on any error).

  db                the services' subnets cut from the database subnets (both ways)
  internet          the services' subnets cut from everything outside the VPC (SNS, CloudWatch,
                    S3 and the other AWS APIs behind the NAT); the VPC itself stays reachable
  az ZONE           every subnet in ZONE (public, services, database) cut from all traffic,
                    e.g. az us-east-1a
  --duration D      how long the cut lasts: 90, 90s, 5m (default ${duration}s, at most 1h)
  --vpc ID          the VPC (default: the one tagged project=mission-control)
  --region REGION   the AWS region (default: the CLI's)
  --dry-run         read the VPC, print the commands that would change it, change nothing
  -h, --help        this help

Needs ec2:Describe{Vpcs,Subnets,NetworkAcls}, ec2:CreateNetworkAcl, ec2:CreateNetworkAclEntry,
ec2:ReplaceNetworkAclAssociation, ec2:DeleteNetworkAcl and ec2:CreateTags. The same cuts run as
AWS FIS experiments from the drills stack (MissionControl-Drills).
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    db|internet) [[ -z $path ]] || die "one path at a time"; path=$1 ;;
    az) [[ -z $path ]] || die "one path at a time"
        [[ ${2:-} =~ ^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$ ]] || die "az needs a zone name, e.g. us-east-1a"
        path=az; zone=$2; shift ;;
    --duration) duration=$(seconds "${2:?--duration needs a duration}"); shift ;;
    --vpc) [[ ${2:-} =~ ^vpc-[0-9a-f]{8,17}$ ]] || die "--vpc needs a VPC id (vpc-...)"; vpc=$2; shift ;;
    --region) aws_region=(--region "${2:?--region needs a region}"); shift ;;
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
[[ -n $path ]] || { usage >&2; die "no path: give db, internet or az ZONE"; }
(( duration >= 1 && duration <= 3600 )) || die "--duration: from 1 s to 1 h, got ${duration} s"

# read-only calls run even with --dry-run: they make the printed commands the real ones
aws_() { aws "${aws_region[@]}" "$@"; }

# change ARGS...: an aws call that changes the network; printed under --dry-run. Its output is left in $changed.
changed=""
change() {
  if [[ $DRY_RUN == 1 ]]; then
    printf '+ aws'; printf ' %q' "${aws_region[@]}" "$@"; printf '\n'
    changed=""
  else
    changed=$(aws_ "$@")
  fi
}

# what restore() undoes, recorded as soon as each change is made
copies=()    # network ACLs the drill created
swapped=()   # "SUBNET ASSOCIATION ORIGINAL_ACL" for each subnet moved onto a copy
sleeper=""
restored=0

restore() {
  local status=$? failed=0 entry subnet association acl copy
  (( restored == 0 )) || return 0
  restored=1
  trap - INT TERM ERR
  [[ -z $sleeper ]] || kill "$sleeper" 2>/dev/null || true
  for entry in "${swapped[@]}"; do
    read -r subnet association acl <<< "$entry"
    if ! change ec2 replace-network-acl-association --association-id "$association" --network-acl-id "$acl" \
        --query NewAssociationId --output text; then
      log "could not put $subnet back on $acl: aws ec2 replace-network-acl-association --association-id $association --network-acl-id $acl"
      failed=1
    fi
  done
  for copy in "${copies[@]}"; do
    if ! change ec2 delete-network-acl --network-acl-id "$copy"; then
      log "could not delete the drill's ACL $copy: aws ec2 delete-network-acl --network-acl-id $copy"
      failed=1
    fi
  done
  if (( failed )); then
    log "restore INCOMPLETE: run the commands above"
    exit 1
  fi
  (( ${#swapped[@]} == 0 && ${#copies[@]} == 0 )) || log "restored: every subnet is back on its own network ACL"
  exit "$status"
}
trap restore EXIT
on_int() { log "interrupted: restoring"; exit 130; }
on_term() { log "terminated: restoring"; exit 143; }
trap on_int INT
trap on_term TERM
# While subnets are being cut, a signal waits until the change in flight is recorded: handled at once,
# it would exit between a call and the line that records it, and leave that subnet cut
held_signal=""
hold_signals() { trap 'held_signal=INT' INT; trap 'held_signal=TERM' TERM; }
release_signals() {
  trap on_int INT
  trap on_term TERM
  case $held_signal in
    INT) on_int ;;
    TERM) on_term ;;
  esac
}
# once, from the script's own shell (errtrace also runs it in functions and command substitutions)
err_logged=""
trap '(( BASH_SUBSHELL > 0 )) || [[ -n $err_logged ]] || { err_logged=1; log "failed at line $LINENO: restoring"; }' ERR

# the VPC and its range
if [[ -n $vpc ]]; then vpc_filter=(--vpc-ids "$vpc"); else vpc_filter=(--filters "Name=tag:project,Values=mission-control"); fi
vpcs=$(aws_ ec2 describe-vpcs "${vpc_filter[@]}" --query 'Vpcs[].[VpcId,CidrBlock]' --output text)
found=$(grep -c . <<< "$vpcs" || true)
(( found == 1 )) || die "expected one VPC (tagged project=mission-control, or --vpc), found $found"
read -r vpc vpc_cidr <<< "$vpcs"

# subnets TIER: "ID CIDR ZONE" lines of the VPC's subnets of one tier (the CDK's aws-cdk:subnet-name tag)
subnets() {
  aws_ ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" "Name=tag:aws-cdk:subnet-name,Values=$1" \
    --query 'Subnets[].[SubnetId,CidrBlock,AvailabilityZone]' --output text
}

targets=()   # the subnets moved onto a copy
rules=()     # "DIRECTION NUMBER ACTION CIDR", ahead of the copied entries
case $path in
  db)
    services=$(subnets services)
    database=$(subnets database)
    number=1
    while read -r id cidr _; do
      [[ -n $id ]] || continue
      rules+=("egress $number deny $cidr" "ingress $number deny $cidr")
      number=$(( number + 1 ))
    done <<< "$database"
    while read -r id _; do [[ -z $id ]] || targets+=("$id"); done <<< "$services"
    (( ${#rules[@]} > 0 )) || die "no database subnets in $vpc" ;;
  internet)
    services=$(subnets services)
    while read -r id _; do [[ -z $id ]] || targets+=("$id"); done <<< "$services"
    # the VPC first (the load balancer, the database, the other tasks), then nothing else: the NAT
    # forwards packets addressed to the internet, and those are what the DENY matches
    rules=("egress 1 allow $vpc_cidr" "egress 2 deny 0.0.0.0/0" "ingress 1 allow $vpc_cidr" "ingress 2 deny 0.0.0.0/0") ;;
  az)
    for tier in public services database; do
      tier_subnets=$(subnets "$tier")
      while read -r id _ subnet_zone; do
        if [[ -n $id && $subnet_zone == "$zone" ]]; then targets+=("$id"); fi
      done <<< "$tier_subnets"
    done
    rules=("egress 1 deny 0.0.0.0/0" "ingress 1 deny 0.0.0.0/0") ;;
esac
(( ${#targets[@]} > 0 )) || die "no subnets to cut for $path${zone:+ $zone} in $vpc"
highest=0
for rule in "${rules[@]}"; do
  read -r _ number _ <<< "$rule"
  if (( number > highest )); then highest=$number; fi
done

# each subnet's ACL and association; the ACLs' entries, checked before anything changes
declare -A acl_of association_of entries_of
for subnet in "${targets[@]}"; do
  line=$(aws_ ec2 describe-network-acls --filters "Name=association.subnet-id,Values=$subnet" \
    --query "NetworkAcls[0].[NetworkAclId, Associations[?SubnetId=='$subnet'].NetworkAclAssociationId | [0]]" --output text)
  read -r acl association <<< "$line"
  [[ $acl == acl-* && $association == aclassoc-* ]] || die "no network ACL association found for $subnet"
  acl_of[$subnet]=$acl
  association_of[$subnet]=$association
  if [[ -z ${entries_of[$acl]:-} ]]; then
    # every entry but the default deny (32767), which each ACL has of its own
    # shellcheck disable=SC2016 # the backquotes are a JMESPath literal, not a shell expansion
    entries_of[$acl]=$(aws_ ec2 describe-network-acls --network-acl-ids "$acl" \
      --query 'NetworkAcls[0].Entries[?RuleNumber<`32767`].[Egress,RuleNumber,Protocol,RuleAction,CidrBlock,Ipv6CidrBlock,PortRange.From,PortRange.To,IcmpTypeCode.Type,IcmpTypeCode.Code]' \
      --output text)
    while read -r _ number _; do
      [[ -z $number ]] || (( number > highest )) || die "$acl has an entry numbered $number; the drill's own take 1-$highest"
    done <<< "${entries_of[$acl]}"
  fi
done

# copy ACL: the drill's entries, then the original's
declare -A copy_of
copy() {
  local acl=$1 rule direction number action cidr egress protocol ipv6 from to icmp_type icmp_code args
  change ec2 create-network-acl --vpc-id "$vpc" \
    --tag-specifications "ResourceType=network-acl,Tags=[{Key=Name,Value=nacl-drill-$path},{Key=project,Value=mission-control}]" \
    --query NetworkAcl.NetworkAclId --output text
  copy_of[$acl]=${changed:-"copy-of-$acl"}
  copies+=("${copy_of[$acl]}")
  for rule in "${rules[@]}"; do
    read -r direction number action cidr <<< "$rule"
    change ec2 create-network-acl-entry --network-acl-id "${copy_of[$acl]}" "--$direction" --rule-number "$number" \
      --protocol -1 --rule-action "$action" --cidr-block "$cidr"
  done
  while read -r egress number protocol action cidr ipv6 from to icmp_type icmp_code; do
    [[ -n $egress ]] || continue
    args=(--network-acl-id "${copy_of[$acl]}")
    if [[ $egress == True ]]; then args+=(--egress); else args+=(--ingress); fi
    args+=(--rule-number "$number" --protocol "$protocol" --rule-action "$action")
    if [[ $cidr != None ]]; then args+=(--cidr-block "$cidr"); else args+=(--ipv6-cidr-block "$ipv6"); fi
    [[ $from == None ]] || args+=(--port-range "From=$from,To=$to")
    [[ $icmp_type == None ]] || args+=(--icmp-type-code "Type=$icmp_type,Code=$icmp_code")
    change ec2 create-network-acl-entry "${args[@]}"
  done <<< "${entries_of[$acl]}"
}

log "cutting $path${zone:+ $zone} in $vpc for ${duration}s: ${targets[*]}"
hold_signals
for subnet in "${targets[@]}"; do
  acl=${acl_of[$subnet]}
  [[ -n ${copy_of[$acl]:-} ]] || copy "$acl"
  change ec2 replace-network-acl-association --association-id "${association_of[$subnet]}" --network-acl-id "${copy_of[$acl]}" \
    --query NewAssociationId --output text
  swapped+=("$subnet ${changed:-"new-association-of-$subnet"} $acl")
done
release_signals

if [[ $DRY_RUN == 1 ]]; then
  printf '+ sleep %s\n' "$duration"
else
  log "cut; restoring in ${duration}s (Ctrl-C restores now)"
  # in the background, so that a signal runs the trap at once instead of after the sleep
  sleep "$duration" &
  sleeper=$!
  wait "$sleeper"
  sleeper=""
fi
