#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build, and run every test.
#   SANITIZE=1 BUILD_DIR=build-asan deploy/test.sh   the same suite under ASan + UBSan
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deploy/install-deps.sh --test
deploy/build.sh
build_dir="${BUILD_DIR:-build}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" --timeout 300
