#!/usr/bin/env bash
# Fails when a test run left a redis-server child of the test fixture running.
set -euo pipefail
left=$(pgrep -af 'sluice-test-redis' | grep redis-server || true)
if [ -n "$left" ]; then
  echo "check-no-redis-left: the tests left redis-server processes behind:" >&2
  echo "$left" >&2
  exit 1
fi
echo "check-no-redis-left: no redis-server left behind"
