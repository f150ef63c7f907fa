#!/usr/bin/env bash
# Makes sure promtool and prometheus are on PATH (the metrics tests lint
# scrapes and rules with promtool and scrape the exporter with a real
# Prometheus), installing Debian's package when they are missing.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: promtool/prometheus not found and apt-get is not available: install Prometheus 2.x" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "ensure-prometheus: promtool/prometheus not found and cannot install them: run as root" >&2
    exit 1
  fi
fi
echo "ensure-prometheus: installing prometheus from the Debian packages"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# Debian's package enables a system service on :9090; the tests run their own.
if command -v systemctl >/dev/null 2>&1; then $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
command -v promtool >/dev/null 2>&1 || {
  echo "ensure-prometheus: the install finished but promtool is still not on PATH" >&2
  exit 1
}
echo "ensure-prometheus: $(promtool --version 2>&1 | head -1)"
