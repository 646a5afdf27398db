#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build, and start `mentorbot serve` on port 3000
# (embedded SQLite in ./data; dry-run unless APP_ID and PRIVATE_KEY_PATH are set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deploy/install-deps.sh
TESTS=0 deploy/build.sh
exec ./build/bot/mentorbot serve
