#!/usr/bin/env bash
# Makes sure a redis-server binary is on PATH, installing Debian's package when it
# is missing. Skipped when REDIS_URL points at a Redis someone else runs.
set -euo pipefail

if [ -n "${REDIS_URL:-}" ]; then
  echo "ensure-redis: REDIS_URL is set, using ${REDIS_URL} (no local redis-server needed)"
  exit 0
fi
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: redis-server not found and apt-get is not available: install Redis 6.2+ or set REDIS_URL" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "ensure-redis: redis-server not found and cannot install it: run as root or set REDIS_URL" >&2
    exit 1
  fi
fi
echo "ensure-redis: installing redis-server from the Debian packages"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
# Debian's package enables a system service; Sluice manages its own redis-server children.
if command -v systemctl >/dev/null 2>&1; then $sudo systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
command -v redis-server >/dev/null 2>&1 || {
  echo "ensure-redis: the install finished but redis-server is still not on PATH" >&2
  exit 1
}
echo "ensure-redis: $(redis-server --version)"
