#!/usr/bin/env bats
# ops/aws/nacl-drill.sh with a recording stand-in for the aws CLI first on PATH (no AWS account here):
# which subnets each path moves, the exact ACL entries, and that the subnets always go back onto
# their own ACL and the copy is deleted: after the duration, on an error, and on TERM.

setup() {
  drill=$(cd "$BATS_TEST_DIRNAME/../aws" && pwd)/nacl-drill.sh
  stubs=$BATS_TEST_TMPDIR/bin
  mkdir -p "$stubs"
  export AWS_LOG=$BATS_TEST_TMPDIR/aws.log
  : > "$AWS_LOG"
  aws_stub
}

# aws stand-in: records each call (one line, words separated by |) and answers as the CLI's text
# output would for the CDK's VPC: two zones, a public, services and database subnet in each, all on
# the VPC's default ACL (allow everything, rule 100, both ways). FAIL_ON: a call containing this
# text fails as the CLI does. SLOW_ON: a call containing this text takes a second (a signal can land
# while it is in flight).
aws_stub() {
  cat > "$stubs/aws" <<'STUB'
#!/usr/bin/env bash
line=$(IFS='|'; printf '%s' "$*")
printf '%s\n' "$line" >> "$AWS_LOG"
if [[ $1 == --region ]]; then shift 2; fi
if [[ -n ${FAIL_ON:-} && $line == *"$FAIL_ON"* ]]; then echo "An error occurred (UnauthorizedOperation)" >&2; exit 254; fi
if [[ -n ${SLOW_ON:-} && $line == *"$SLOW_ON"* ]]; then sleep 1; fi
tab=$'\t'
case "$1 $2" in
  "ec2 describe-vpcs") echo "vpc-0aaa1111bbbb2222c${tab}10.40.0.0/16" ;;
  "ec2 describe-subnets")
    case $line in
      *Values=public*) printf 'subnet-0pub1%s10.40.0.0/24%sus-east-1a\nsubnet-0pub2%s10.40.1.0/24%sus-east-1b\n' "$tab" "$tab" "$tab" "$tab" ;;
      *Values=services*) printf 'subnet-0svc1%s10.40.4.0/22%sus-east-1a\nsubnet-0svc2%s10.40.8.0/22%sus-east-1b\n' "$tab" "$tab" "$tab" "$tab" ;;
      *Values=database*) printf 'subnet-0db1%s10.40.12.0/26%sus-east-1a\nsubnet-0db2%s10.40.12.64/26%sus-east-1b\n' "$tab" "$tab" "$tab" "$tab" ;;
    esac ;;
  "ec2 describe-network-acls")
    if [[ $line == *association.subnet-id,Values=* ]]; then
      subnet=${line#*association.subnet-id,Values=}; subnet=${subnet%%|*}
      echo "acl-0default${tab}aclassoc-${subnet#subnet-}"
    else
      printf 'True\t100\t-1\tallow\t0.0.0.0/0\tNone\tNone\tNone\tNone\tNone\nFalse\t100\t-1\tallow\t0.0.0.0/0\tNone\tNone\tNone\tNone\tNone\n'
    fi ;;
  "ec2 create-network-acl") echo "acl-0drill" ;;
  "ec2 create-network-acl-entry"|"ec2 delete-network-acl") ;;
  "ec2 replace-network-acl-association")
    association=${line#*--association-id|}; association=${association%%|*}
    echo "aclassoc-new-${association#aclassoc-}" ;;
  *) echo "unexpected aws call: $*" >&2; exit 2 ;;
esac
STUB
  chmod +x "$stubs/aws"
}

# the calls that change something, in order
changes() {
  grep -v '|describe-' "$AWS_LOG"
}

@test "nacl-drill: --help, an unknown option, no path, two paths, a bad zone, duration or VPC" {
  run "$drill" --help
  [ "$status" -eq 0 ]
  [[ $output == Usage:* ]]
  run "$drill" --no-such-option
  [ "$status" -ne 0 ]
  [[ $output == *"unknown option"* ]]
  run "$drill"
  [ "$status" -ne 0 ]
  [[ $output == *"no path"* ]]
  run "$drill" db internet
  [ "$status" -ne 0 ]
  [[ $output == *"one path at a time"* ]]
  run "$drill" az
  [ "$status" -ne 0 ]
  [[ $output == *"az needs a zone name"* ]]
  run "$drill" db --duration 2h
  [ "$status" -ne 0 ]
  [[ $output == *"at most"* || $output == *"1 h"* ]]
  run "$drill" db --duration soon
  [ "$status" -ne 0 ]
  run "$drill" db --vpc nope
  [ "$status" -ne 0 ]
  # none of these reached AWS
  [ ! -s "$AWS_LOG" ]
}

@test "nacl-drill db: the services' subnets move onto a copy that denies the database ranges both ways, then back, and the copy is deleted" {
  PATH=$stubs:$PATH run "$drill" db --duration 1 --region us-east-1
  [ "$status" -eq 0 ]
  expected=$(cat <<'EXPECTED'
--region|us-east-1|ec2|create-network-acl|--vpc-id|vpc-0aaa1111bbbb2222c|--tag-specifications|ResourceType=network-acl,Tags=[{Key=Name,Value=nacl-drill-db},{Key=project,Value=mission-control}]|--query|NetworkAcl.NetworkAclId|--output|text
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--egress|--rule-number|1|--protocol|-1|--rule-action|deny|--cidr-block|10.40.12.0/26
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--ingress|--rule-number|1|--protocol|-1|--rule-action|deny|--cidr-block|10.40.12.0/26
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--egress|--rule-number|2|--protocol|-1|--rule-action|deny|--cidr-block|10.40.12.64/26
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--ingress|--rule-number|2|--protocol|-1|--rule-action|deny|--cidr-block|10.40.12.64/26
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--egress|--rule-number|100|--protocol|-1|--rule-action|allow|--cidr-block|0.0.0.0/0
--region|us-east-1|ec2|create-network-acl-entry|--network-acl-id|acl-0drill|--ingress|--rule-number|100|--protocol|-1|--rule-action|allow|--cidr-block|0.0.0.0/0
--region|us-east-1|ec2|replace-network-acl-association|--association-id|aclassoc-0svc1|--network-acl-id|acl-0drill|--query|NewAssociationId|--output|text
--region|us-east-1|ec2|replace-network-acl-association|--association-id|aclassoc-0svc2|--network-acl-id|acl-0drill|--query|NewAssociationId|--output|text
--region|us-east-1|ec2|replace-network-acl-association|--association-id|aclassoc-new-0svc1|--network-acl-id|acl-0default|--query|NewAssociationId|--output|text
--region|us-east-1|ec2|replace-network-acl-association|--association-id|aclassoc-new-0svc2|--network-acl-id|acl-0default|--query|NewAssociationId|--output|text
--region|us-east-1|ec2|delete-network-acl|--network-acl-id|acl-0drill
EXPECTED
)
  diff <(changes) <(printf '%s\n' "$expected")
  # the original ACL itself is never written to
  ! grep -q 'create-network-acl-entry|--network-acl-id|acl-0default' "$AWS_LOG"
  [[ $output == *"restored"* ]]
}

@test "nacl-drill internet --dry-run: the VPC allowed first, then everything denied, on the services' subnets; nothing changed" {
  PATH=$stubs:$PATH run "$drill" internet --duration 5m --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"+ aws ec2 create-network-acl-entry --network-acl-id copy-of-acl-0default --egress --rule-number 1 --protocol -1 --rule-action allow --cidr-block 10.40.0.0/16"* ]]
  [[ $output == *"--egress --rule-number 2 --protocol -1 --rule-action deny --cidr-block 0.0.0.0/0"* ]]
  [[ $output == *"--ingress --rule-number 1 --protocol -1 --rule-action allow --cidr-block 10.40.0.0/16"* ]]
  [[ $output == *"--ingress --rule-number 2 --protocol -1 --rule-action deny --cidr-block 0.0.0.0/0"* ]]
  [[ $output == *"replace-network-acl-association --association-id aclassoc-0svc1 "* ]]
  [[ $output == *"replace-network-acl-association --association-id aclassoc-0svc2 "* ]]
  [[ $output != *"aclassoc-0pub"* && $output != *"aclassoc-0db"* ]]
  [[ $output == *"+ sleep 300"* ]]
  # the restore is printed too, after the sleep
  [[ ${output#*+ sleep 300} == *"--network-acl-id acl-0default"* ]]
  [[ ${output#*+ sleep 300} == *"delete-network-acl"* ]]
  [ -z "$(changes)" ]
}

@test "nacl-drill az: every subnet in that zone and only those, all traffic denied" {
  PATH=$stubs:$PATH run "$drill" az us-east-1b --duration 1
  [ "$status" -eq 0 ]
  moved=$(changes | grep 'replace-network-acl-association|--association-id|aclassoc-0' | cut -d'|' -f4)
  [ "$moved" = "$(printf 'aclassoc-0pub2\naclassoc-0svc2\naclassoc-0db2')" ]
  changes | grep -q 'create-network-acl-entry|--network-acl-id|acl-0drill|--egress|--rule-number|1|--protocol|-1|--rule-action|deny|--cidr-block|0.0.0.0/0$'
  changes | grep -q 'create-network-acl-entry|--network-acl-id|acl-0drill|--ingress|--rule-number|1|--protocol|-1|--rule-action|deny|--cidr-block|0.0.0.0/0$'
  [ "$(changes | grep -c '|--network-acl-id|acl-0default|')" -eq 3 ]
  changes | tail -1 | grep -q 'delete-network-acl|--network-acl-id|acl-0drill'
}

@test "nacl-drill: a failure half-way puts back what was moved, deletes the copy, and fails" {
  FAIL_ON='--association-id|aclassoc-0svc2|' PATH=$stubs:$PATH run "$drill" db --duration 1
  [ "$status" -ne 0 ]
  changes | grep -q 'replace-network-acl-association|--association-id|aclassoc-new-0svc1|--network-acl-id|acl-0default'
  ! changes | grep -q 'aclassoc-new-0svc2'
  changes | tail -1 | grep -q 'delete-network-acl|--network-acl-id|acl-0drill'
  [[ $output == *"restored"* ]]
}

@test "nacl-drill: TERM during the cut restores at once, not after the duration" {
  PATH=$stubs:$PATH "$drill" db --duration 10m > "$BATS_TEST_TMPDIR/out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q 'aclassoc-0svc2|--network-acl-id|acl-0drill' "$AWS_LOG" && break
    sleep 0.1
  done
  started=$SECONDS
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  [ "$status" -eq 143 ]
  (( SECONDS - started < 10 ))
  changes | grep -q 'aclassoc-new-0svc1|--network-acl-id|acl-0default'
  changes | grep -q 'aclassoc-new-0svc2|--network-acl-id|acl-0default'
  changes | tail -1 | grep -q 'delete-network-acl|--network-acl-id|acl-0drill'
  grep -q "terminated: restoring" "$BATS_TEST_TMPDIR/out"
}

@test "nacl-drill: TERM while a subnet's swap is in flight still restores that subnet" {
  SLOW_ON='--association-id|aclassoc-0svc2|' PATH=$stubs:$PATH "$drill" db --duration 10m > "$BATS_TEST_TMPDIR/out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q 'aclassoc-0svc2|--network-acl-id|acl-0drill' "$AWS_LOG" && break
    sleep 0.1
  done
  # the stand-in is still answering svc2's swap: the signal lands between the call and its record
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  [ "$status" -eq 143 ]
  changes | grep -q 'aclassoc-new-0svc1|--network-acl-id|acl-0default'
  changes | grep -q 'aclassoc-new-0svc2|--network-acl-id|acl-0default'
  changes | tail -1 | grep -q 'delete-network-acl|--network-acl-id|acl-0drill'
}

@test "nacl-drill: an ACL whose entries start below the drill's numbers is refused before anything changes" {
  sed -i 's/^      printf .True\\t100/      printf '"'"'True\\t1/' "$stubs/aws"
  PATH=$stubs:$PATH run "$drill" db --duration 1
  [ "$status" -ne 0 ]
  [[ $output == *"has an entry numbered 1"* ]]
  [ -z "$(changes)" ]
}

@test "nacl-drill: a restore step that fails is reported with the command to finish it by hand, and the run fails" {
  FAIL_ON='delete-network-acl' PATH=$stubs:$PATH run "$drill" internet --duration 1
  [ "$status" -eq 1 ]
  [[ $output == *"could not delete the drill's ACL acl-0drill: aws ec2 delete-network-acl --network-acl-id acl-0drill"* ]]
  [[ $output == *"restore INCOMPLETE"* ]]
  # the subnets were still put back first
  [ "$(changes | grep -c '|--network-acl-id|acl-0default|')" -eq 2 ]
}
