#!/usr/bin/env bats
# The ops scripts, run for real with --dry-run, or with stand-in docker/curl commands first on PATH
# (no Docker engine here): what they would do, their checks, and deploy's rollback.

setup() {
  ops=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
  stubs=$BATS_TEST_TMPDIR/bin
  mkdir -p "$stubs"
  export DOCKER_LOG=$BATS_TEST_TMPDIR/docker.log
}

stub() { # name, script body
  printf '#!/usr/bin/env bash\n%s\n' "$2" > "$stubs/$1"
  chmod +x "$stubs/$1"
}

@test "every script answers --help" {
  for script in install-docker.sh deploy.sh netem.sh scale.sh; do
    run "$ops/$script" --help
    [ "$status" -eq 0 ]
    [[ $output == Usage:* ]]
  done
}

@test "every script refuses an unknown option" {
  for script in install-docker.sh deploy.sh netem.sh scale.sh; do
    run "$ops/$script" --no-such-option
    [ "$status" -ne 0 ]
    [[ $output == *"unknown"* ]]
  done
}

@test "install-docker: Ubuntu gets Docker's apt repository and the compose plugin" {
  stub docker 'exit 1'
  printf 'ID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n' > "$BATS_TEST_TMPDIR/os-release"
  PATH=$stubs:$PATH run "$ops/install-docker.sh" --dry-run --os-release "$BATS_TEST_TMPDIR/os-release"
  [ "$status" -eq 0 ]
  [[ $output == *"download.docker.com/linux/ubuntu noble stable"* ]]
  [[ $output == *"apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin"* ]]
  [[ $output == *"systemctl enable --now docker"* ]]
}

@test "install-docker: Amazon Linux 2023 gets dnf's docker and the compose plugin binary" {
  stub docker 'exit 1'
  printf 'ID="amzn"\nVERSION_ID="2023"\n' > "$BATS_TEST_TMPDIR/os-release"
  PATH=$stubs:$PATH run "$ops/install-docker.sh" --dry-run --os-release "$BATS_TEST_TMPDIR/os-release"
  [ "$status" -eq 0 ]
  [[ $output == *"dnf install -y docker"* ]]
  [[ $output == *"/usr/local/lib/docker/cli-plugins/docker-compose"* ]]
  [[ $output == *"usermod -aG docker ec2-user"* ]]
}

@test "install-docker: does nothing when docker and compose are there; refuses other systems" {
  stub docker 'case "$1 $2" in "compose version") echo "v2.39.2";; *) echo 28.2.2;; esac'
  PATH=$stubs:$PATH run "$ops/install-docker.sh" --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"nothing to do"* ]]
  [[ $output != *"install -y"* ]]

  stub docker 'exit 1'
  printf 'ID=debian\nVERSION_ID="12"\n' > "$BATS_TEST_TMPDIR/os-release"
  PATH=$stubs:$PATH run "$ops/install-docker.sh" --dry-run --os-release "$BATS_TEST_TMPDIR/os-release"
  [ "$status" -ne 0 ]
  [[ $output == *"unsupported distribution: ID=debian"* ]]
}

@test "netem: loss to one host goes through a priority band and a filter, is bounded and always reverted" {
  run "$ops/netem.sh" --dry-run --container mission-status-1 --to mysql --loss 30% --duration 2m
  [ "$status" -eq 0 ]
  [[ $output == *"nsenter --target PID --net tc qdisc add dev eth0 root handle 1: prio"* ]]
  [[ $output == *"tc qdisc add dev eth0 parent 1:3 handle 30: netem loss 30%"* ]]
  [[ $output == *"u32 match ip dst IP-OF-mysql/32 flowid 1:3"* ]]
  [[ $output == *"sleep 120"* ]]
  [[ $output == *"tc qdisc del dev eth0 root"* ]]
}

@test "netem: delay with jitter, a partition, and what it refuses" {
  run "$ops/netem.sh" --dry-run --interface eth0 --delay 200ms --jitter 50ms --duration 30s
  [ "$status" -eq 0 ]
  [[ $output == *"tc qdisc add dev eth0 root netem delay 200ms 50ms distribution normal"* ]]

  run "$ops/netem.sh" --dry-run --interface eth0 --partition --duration 10
  [[ $output == *"netem loss 100%"* ]]

  run "$ops/netem.sh" --dry-run --interface eth0 --loss 30%
  [ "$status" -ne 0 ]
  [[ $output == *"--duration is required"* ]]

  run "$ops/netem.sh" --dry-run --interface eth0 --loss 30% --duration 2h
  [ "$status" -ne 0 ]

  run "$ops/netem.sh" --dry-run --interface eth0 --loss lots --duration 1m
  [ "$status" -ne 0 ]
  [[ $output == *"--loss: expected"* ]]

  run "$ops/netem.sh" --dry-run --interface eth0 --duration 1m
  [ "$status" -ne 0 ]
  [[ $output == *"no trouble given"* ]]
}

@test "scale: scales roles without recreating the others; refuses unknown roles" {
  run "$ops/scale.sh" --dry-run monitor=3 status=2
  [ "$status" -eq 0 ]
  [[ $output == *"docker compose"*"up -d --no-recreate --scale monitor=3 --scale status=2"* ]]

  run "$ops/scale.sh" --dry-run --aws monitor=2
  [[ $output == *"docker-compose.aws.yml"* ]]

  run "$ops/scale.sh" --dry-run gateway=2
  [ "$status" -ne 0 ]
}

# a checkout of a one-commit remote, and stand-ins for docker and curl that log what they are asked
deploy_fixture() {
  remote=$BATS_TEST_TMPDIR/remote
  git init -q -b main "$remote"
  touch "$remote/docker-compose.yml" "$remote/docker-compose.override.yml" "$remote/docker-compose.aws.yml"
  git -C "$remote" add . && git -C "$remote" -c user.name=t -c user.email=t@example.com commit -qm first
  checkout=$BATS_TEST_TMPDIR/checkout
  stub docker 'echo "MC_TAG=${MC_TAG:-} $*" >> "$DOCKER_LOG"
    case "$*" in
      *" ps "*) for s in mysql status alert; do echo "$s running ${FAKE_HEALTH:-healthy}"; done ;;
      *" logs backup"*) echo "Backups go to s3://mission-backups/; schedule 0 */6 * * * (UTC); newest verified backup none" ;;
    esac'
  stub curl 'echo "{\"items\":[{\"host\":\"ip-10-0-1-10\"}]}"'
}

@test "deploy: clones, builds the commit's tag, starts, waits for health, checks monitor and backups, records the tag" {
  deploy_fixture
  PATH=$stubs:$PATH run "$ops/deploy.sh" --remote "$remote" --dir "$checkout" --scale monitor=3 --timeout 10
  [ "$status" -eq 0 ]
  tag=$(git -C "$checkout" rev-parse --short=12 HEAD)
  grep -q "MC_TAG=$tag compose .* build" "$DOCKER_LOG"
  grep -q "MC_TAG=$tag compose .* up -d --remove-orphans --scale monitor=3" "$DOCKER_LOG"
  [[ $output == *"backups: schedule 0 */6 * * * (UTC)"* ]]
  [[ $output == *"Mission Control $tag is up"* ]]
  [ "$(cat "$checkout/.deploy/current-tag")" = "$tag" ]
}

@test "deploy: a version that never gets healthy is rolled back to the previous tag" {
  deploy_fixture
  git clone -q "$remote" "$checkout"
  mkdir -p "$checkout/.deploy" && echo previous0001 > "$checkout/.deploy/current-tag"
  FAKE_HEALTH=unhealthy PATH=$stubs:$PATH run "$ops/deploy.sh" --remote "$remote" --dir "$checkout" --timeout 0
  [ "$status" -ne 0 ]
  [[ $output == *"rolling back to previous0001"* ]]
  grep -q "MC_TAG=previous0001 compose .* up -d" "$DOCKER_LOG"
  [ "$(cat "$checkout/.deploy/current-tag")" = previous0001 ]
}
