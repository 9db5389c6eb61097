#!/usr/bin/env bash
# Installs Docker Engine and the Compose plugin on Amazon Linux 2023 or Ubuntu, idempotently.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"

COMPOSE_VERSION=${COMPOSE_VERSION:-v2.39.2}
os_release=/etc/os-release
force=0

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--dry-run] [--force] [--os-release FILE]

Installs Docker Engine and the Docker Compose plugin (docker compose) on Amazon Linux 2023 or
Ubuntu, starts the service at boot, and lets the login user ($(logname 2>/dev/null || echo "\$SUDO_USER")) use docker.
Does nothing when both are already there (unless --force).

  --dry-run          print the commands instead of running them
  --force            install even when docker and docker compose answer
  --os-release FILE  read the distribution from FILE instead of /etc/os-release
  -h, --help         this help

Environment: COMPOSE_VERSION (Amazon Linux only, where dnf has no compose plugin; default $COMPOSE_VERSION).
USAGE
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --dry-run) DRY_RUN=1 ;;
    --force) force=1 ;;
    --os-release) os_release=${2:?--os-release needs a file}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

if [[ $force == 0 ]] && command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  log "Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '(engine not answering)') and $(docker compose version --short) already installed; nothing to do"
  exit 0
fi

[[ -r $os_release ]] || die "cannot read $os_release to tell the distribution"
# shellcheck disable=SC1090
id=$(. "$os_release" && echo "${ID:-}")
# shellcheck disable=SC1090
version=$(. "$os_release" && echo "${VERSION_ID:-}")
# shellcheck disable=SC1090
codename=$(. "$os_release" && echo "${VERSION_CODENAME:-${UBUNTU_CODENAME:-}}")
arch=$(uname -m)

case "$id:$version" in
  amzn:2023*)
    log "Amazon Linux 2023: docker from dnf, the compose plugin $COMPOSE_VERSION from its release"
    as_root dnf install -y docker
    as_root mkdir -p /usr/local/lib/docker/cli-plugins
    as_root curl -fsSL -o /usr/local/lib/docker/cli-plugins/docker-compose \
      "https://github.com/docker/compose/releases/download/$COMPOSE_VERSION/docker-compose-linux-$arch"
    as_root chmod 0755 /usr/local/lib/docker/cli-plugins/docker-compose
    login_user=${SUDO_USER:-ec2-user}
    ;;
  ubuntu:*)
    [[ -n $codename ]] || die "no VERSION_CODENAME in $os_release"
    log "Ubuntu $version ($codename): Docker's own apt repository"
    as_root apt-get update
    as_root apt-get install -y ca-certificates curl
    as_root install -m 0755 -d /etc/apt/keyrings
    as_root curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
    as_root chmod a+r /etc/apt/keyrings/docker.asc
    repo="deb [arch=$(dpkg --print-architecture 2>/dev/null || echo amd64) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu $codename stable"
    if [[ $DRY_RUN == 1 ]]; then
      echo "+ echo '$repo' > /etc/apt/sources.list.d/docker.list"
    else
      echo "$repo" | as_root tee /etc/apt/sources.list.d/docker.list >/dev/null
    fi
    as_root apt-get update
    as_root apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin
    login_user=${SUDO_USER:-ubuntu}
    ;;
  *)
    die "unsupported distribution: ID=$id VERSION_ID=$version (Amazon Linux 2023 and Ubuntu are supported)"
    ;;
esac

as_root systemctl enable --now docker
if id "$login_user" >/dev/null 2>&1 || [[ $DRY_RUN == 1 ]]; then
  as_root usermod -aG docker "$login_user"
  log "$login_user may use docker after logging in again"
fi
if [[ $DRY_RUN == 0 ]]; then
  docker compose version >/dev/null || die "docker compose does not answer after the install"
fi
log "Docker installed"
