#!/usr/bin/env bash
# The soak with faults (tests/soak/soak.cpp): builds it in BUILD_DIR (default build) and runs it
# for SECONDS (default 600), the bot killed with -9 every 60 s; the reconciliation goes to stdout
# and to BUILD_DIR/soak-report.md. CI runs `tests/soak/run.sh 120`.
#   tests/soak/run.sh [SECONDS] [more soak options...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${BUILD_DIR:-build}
seconds=${1:-600}
shift || true
cmake --build "$build" -j "${JOBS:-2}" --target soak mentorbot >/dev/null
exec "$build/tests/soak" --seconds "$seconds" --report "$build/soak-report.md" "$@"
