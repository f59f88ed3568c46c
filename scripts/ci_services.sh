#!/usr/bin/env bash
# Install the system services the service tests need, from Debian's packages:
#   postgresql  (tests/store and tests/api start a throw-away cluster with its initdb/pg_ctl)
#   chromium    (tests/web drive it headless through Playwright; never `playwright install`)
# Idempotent and quick when both are already there. Runs as root (CI) or through sudo.
set -euo pipefail

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  echo "ci_services: postgresql and chromium already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "ci_services: installing ${need[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "ci_services: done"
