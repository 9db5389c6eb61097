#!/usr/bin/env bash
# The tests' database: MariaDB 10.11 on 127.0.0.1:3306 with a test account. Installs the server when
# it is missing (a fresh Debian or Ubuntu root: CodeBuild, GitHub Actions, a new machine), starts it
# when it is not running, and never touches a server that already runs.
set -euo pipefail

if [[ ! -x /usr/sbin/mariadbd ]]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mariadb-server mariadb-client
fi
# the package's own start script is not run in containers and chroots: the socket folder may be missing
install -d -o mysql -g mysql /run/mysqld
if ! mariadb-admin --protocol=tcp -h127.0.0.1 -uroot ping --silent >/dev/null 2>&1; then
  # --user: a fresh install's config does not name the account the server runs as, and it refuses root.
  # --pidfile: match only a server this script started; with --exec alone, any mariadbd in the process
  # table (a chroot's or container's host, sharing the PID namespace) counts as "already running".
  start-stop-daemon --start --oknodo --background --make-pidfile --pidfile /run/mysqld/ci-mariadbd.pid \
    --exec /usr/sbin/mariadbd -- --user=mysql
fi
for _ in $(seq 1 60); do
  mariadb-admin --protocol=tcp -h127.0.0.1 -uroot ping --silent >/dev/null 2>&1 && break
  sleep 1
done
mariadb-admin --protocol=tcp -h127.0.0.1 -uroot ping
# A dedicated test account for both host forms a loopback login can match.
mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'mission'@'localhost' IDENTIFIED BY 'mission';
CREATE USER IF NOT EXISTS 'mission'@'127.0.0.1' IDENTIFIED BY 'mission';
GRANT ALL PRIVILEGES ON *.* TO 'mission'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO 'mission'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
