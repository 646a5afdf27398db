#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build, and run every test.
#   SANITIZE=1 BUILD_DIR=build-asan deploy/test.sh   the same suite under ASan + UBSan
#   SANITIZE=thread BUILD_DIR=build-tsan TARGETS="mentorbot integration_tests" deploy/test.sh -R '^integration:'
#                                                   the integration tests under ThreadSanitizer
# Arguments go to ctest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deploy/install-deps.sh --test
deploy/build.sh
build_dir="${BUILD_DIR:-build}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
reports="$build_dir/tsan-reports"
rm -rf "$reports" && mkdir -p "$reports"
status=0
ctest --test-dir "$build_dir" --output-on-failure -j "${JOBS:-2}" --timeout 300 "$@" || status=$?
# ThreadSanitizer's findings in any process the tests started (tests/CMakeLists.txt).
if [ -d "$reports" ] && [ -n "$(ls -A "$reports")" ]; then
  echo "ThreadSanitizer reported $(ls "$reports" | wc -l) process(es) with findings:" >&2
  for f in "$reports"/*; do echo "== $f" >&2; head -c 20000 "$f" >&2; done
  exit 1
fi
exit "$status"
