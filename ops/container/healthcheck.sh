#!/usr/bin/env bash
# The image's HEALTHCHECK: a JVM running the status role answers on its API port, any other on the
# management port; /health/ready includes the database for roles that use one.
set -euo pipefail
roles=",${MC_ROLES:-status},"
if [[ $roles == *",status,"* || $roles == ",," ]]; then
  port=${MC_HTTP_PORT:-8080}
else
  port=${MC_MANAGEMENT_PORT:-9090}
fi
exec curl --fail --silent --show-error --output /dev/null --max-time 3 "http://127.0.0.1:${port}/health/ready"
