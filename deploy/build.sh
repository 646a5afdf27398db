#!/usr/bin/env bash
# Configures and builds mentorbot (and its tests) with CMake + Ninja, two jobs at a time.
#   BUILD_DIR (default build)  SANITIZE=1 (AddressSanitizer + UndefinedBehaviorSanitizer) or
#   SANITIZE=thread (ThreadSanitizer)  TARGETS="a b" (build only these)
#   BUILD_TYPE (default RelWithDebInfo)  TESTS=0 (skip building the tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DMENTORBOT_SANITIZE="$(case "${SANITIZE:-0}" in 1) echo ON ;; thread) echo thread ;; *) echo OFF ;; esac)" \
  -DMENTORBOT_TESTS="$([ "${TESTS:-1}" = 0 ] && echo OFF || echo ON)" >/dev/null
# shellcheck disable=SC2086 # TARGETS is a list
cmake --build "$build_dir" -j "${JOBS:-2}" ${TARGETS:+--target $TARGETS}
