#!/usr/bin/env bash
# The leaderboard page in headless Chromium against a real `mentorbot serve`.
#   tests/browser/run.sh MENTORBOT_BINARY OUTPUT_DIR
# Leaves OUTPUT_DIR/mentorbot.log, leaderboard.png and leaderboard-reduced-motion.png behind.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 MENTORBOT_BINARY OUTPUT_DIR" >&2
  exit 2
fi
binary=$(realpath -m "$1")
out_dir=$(realpath -m "$2")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser test: /usr/bin/chromium not found; install Debian's chromium with: apt-get install chromium" >&2
  exit 1
fi
if [[ ! -x $binary ]]; then
  echo "browser test: $binary is not an executable mentorbot binary" >&2
  exit 1
fi

cd "$here"
# Only install when the lock file changed since the last install (or nothing is installed).
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

mkdir -p "$out_dir"
exec node leaderboard.test.mjs "$binary" "$out_dir"
