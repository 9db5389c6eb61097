#!/usr/bin/env bats
# ops/deploy-ssm.sh with a recording stand-in for the aws CLI first on PATH (no AWS account here):
# the exact SSM commands it sends, how it waits, and that a failed host fails the run.

setup() {
  ops=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
  stubs=$BATS_TEST_TMPDIR/bin
  mkdir -p "$stubs"
  export AWS_LOG=$BATS_TEST_TMPDIR/aws.log
  export AWS_STATE=$BATS_TEST_TMPDIR/state
  : > "$AWS_LOG"
}

# aws stand-in: records each call (one line, words separated by |), answers like the CLI would.
# HOST_STATUS sets what get-command-invocation reports; the first poll answers InProgress.
aws_stub() {
  cat > "$stubs/aws" <<'STUB'
#!/usr/bin/env bash
(IFS='|'; printf '%s\n' "$*") >> "$AWS_LOG"
case "$1 $2" in
  "ssm send-command") echo "cmd-0001" ;;
  "ssm list-command-invocations") echo "i-0aaa1111bbbb2222c i-0ddd3333eeee4444f" ;;
  "ssm get-command-invocation")
    if [[ " $* " == *" Status "* ]]; then
      if [[ ! -e $AWS_STATE ]]; then touch "$AWS_STATE"; echo InProgress; else echo "${HOST_STATUS:-Success}"; fi
    else
      echo "output of $6"
    fi ;;
  *) echo "unexpected aws call: $*" >&2; exit 2 ;;
esac
STUB
  chmod +x "$stubs/aws"
}

@test "deploy-ssm: --help, an unknown option, and no hosts" {
  run "$ops/deploy-ssm.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == Usage:* ]]
  run "$ops/deploy-ssm.sh" --no-such-option
  [ "$status" -ne 0 ]
  [[ $output == *"unknown option"* ]]
  run "$ops/deploy-ssm.sh"
  [ "$status" -ne 0 ]
  [[ $output == *"no hosts"* ]]
  run "$ops/deploy-ssm.sh" --instance not-an-id
  [ "$status" -ne 0 ]
  run "$ops/deploy-ssm.sh" --instance i-0aaa1111bbbb2222c --tag Role=x
  [ "$status" -ne 0 ]
  [[ $output == *"not both"* ]]
}

@test "deploy-ssm --dry-run prints the one send-command, with deploy.sh's options quoted, and calls nothing" {
  aws_stub
  PATH=$stubs:$PATH run "$ops/deploy-ssm.sh" --dry-run --tag Role=mission-control --timeout 10m -- --aws --scale monitor=2
  [ "$status" -eq 0 ]
  [[ $output == *"aws ssm send-command --document-name AWS-RunShellScript --targets Key=tag:Role\\,Values=mission-control"* ]]
  [[ $output == *'cd /opt/mission-control && ops/deploy.sh --aws --scale monitor=2'* ]]
  [[ $output == *'executionTimeout'*'600'* ]]
  [ ! -s "$AWS_LOG" ]
}

@test "deploy-ssm sends deploy.sh to the instances, waits until none is in progress, and prints each host's output" {
  aws_stub
  PATH=$stubs:$PATH run "$ops/deploy-ssm.sh" --instance i-0aaa1111bbbb2222c --instance i-0ddd3333eeee4444f --dir /srv/mc -- --aws
  [ "$status" -eq 0 ]
  first=$(head -1 "$AWS_LOG")
  [ "$first" = 'ssm|send-command|--document-name|AWS-RunShellScript|--instance-ids|i-0aaa1111bbbb2222c|i-0ddd3333eeee4444f|--comment|mission-control deploy|--parameters|{"commands":["cd /srv/mc && ops/deploy.sh --aws"],"executionTimeout":["900"]}|--query|Command.CommandId|--output|text' ]
  grep -q '^ssm|list-command-invocations|--command-id|cmd-0001|' "$AWS_LOG"
  # the first poll saw InProgress, so it polled again
  [ "$(grep -c '|Status|' "$AWS_LOG")" -ge 4 ]
  [[ $output == *"output of i-0aaa1111bbbb2222c"* ]]
  [[ $output == *"output of i-0ddd3333eeee4444f"* ]]
  [[ $output == *"deployed on 2 host(s)"* ]]
}

@test "deploy-ssm fails when a host's deploy failed, and shows that host's errors" {
  aws_stub
  HOST_STATUS=Failed PATH=$stubs:$PATH run "$ops/deploy-ssm.sh" --instance i-0aaa1111bbbb2222c
  [ "$status" -ne 0 ]
  [[ $output == *"i-0aaa1111bbbb2222c: Failed"* ]]
  [[ $output == *"the deploy failed on at least one host"* ]]
  grep -q 'StandardErrorContent' "$AWS_LOG"
}
