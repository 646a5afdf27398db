#!/usr/bin/env bash
# Runs one of this folder's scripts with node, after installing playwright-core from the lock
# file when it changed (or was never installed).
#   tests/browser/node.sh SCRIPT.mjs ARGS...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser test: /usr/bin/chromium not found; install Debian's chromium with: apt-get install chromium" >&2
  exit 1
fi
cd "$here"
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi
script=$1
shift
exec node "$script" "$@"
