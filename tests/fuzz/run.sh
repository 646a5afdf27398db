#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (build-fuzz/) and runs each for SECONDS
# (default 60), seeded from the fixtures, templates and rules. A crash, leak or timeout fails the
# run; its input is left in build-fuzz/crashes/ (make it a unit test, and keep the input in
# tests/fuzz/regressions/TARGET-NAME: every run starts from it).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      FUZZ_JOBS=2: two targets at a time
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: installing clang and libFuzzer" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >&2
fi
if [ ! -f "$build/build.ninja" ]; then
  CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMENTORBOT_FUZZ=ON >/dev/null
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(webhook_door event diff repo_config render sse_query csv)
ninja -C "$build" -j "${JOBS:-2}" "${targets[@]/#/fuzz_}" >&2
seed() {  # seed TARGET DIR: the corpus to start from
  case "$1" in
    webhook_door|event) find tests/fixtures/github-webhooks -name '*.json' -exec cp {} "$2/" \; ;;
    repo_config) cp rules/*.yml "$2/" 2>/dev/null || true; printf 'tone: playful\nreview:\n  max_suggestions: 1\n' >"$2/basic.yml" ;;
    render) for f in templates/*/*.md; do cp "$f" "$2/$(echo "$f" | tr / _)"; done ;;
    diff) printf '@@ -1,2 +1,3 @@\n a\n-b\n+c\n+d\n' >"$2/one.patch" ;;
    sse_query) printf '12sprint=pycon%%20us&x=1' >"$2/q" ;;
    csv) printf 'mergeoctocat\0octo/site\0=cmd|calc\0' >"$2/c" ;;
  esac
}
mkdir -p "$build/crashes"
run_one() {  # run_one TARGET: prints one line; a crash, leak or timeout is a failure
  local t=$1 corpus="$build/corpus/$1" log="$build/fuzz-$1.log"
  mkdir -p "$corpus"
  [ -n "$(ls -A "$corpus")" ] || seed "$t" "$corpus"
  cp tests/fuzz/regressions/"$t"-* "$corpus/" 2>/dev/null || true  # what once crashed stays in the corpus
  if "$build/tests/fuzz/fuzz_$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/crashes/$t-" -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz $t: ok, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs in ${seconds}s," \
         "$(grep -o 'cov: [0-9]*' "$log" | tail -1), $(grep -o 'corp: [0-9]*' "$log" | tail -1) inputs"
  else
    echo "fuzz $t: FAILED (see $log; the input is in $build/crashes/)"
    tail -30 "$log"
    return 1
  fi
}
# FUZZ_JOBS targets at a time (each fuzzer uses one core; default 1).
parallel=${FUZZ_JOBS:-1}
status=0
pids=()
names=()
finish_oldest() {
  wait "${pids[0]}" || status=1
  cat "$build/fuzz-${names[0]}.summary"
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
}
for t in "${targets[@]}"; do
  run_one "$t" >"$build/fuzz-$t.summary" 2>&1 &
  pids+=($!)
  names+=("$t")
  [ ${#pids[@]} -lt "$parallel" ] || finish_oldest
done
while [ ${#pids[@]} -gt 0 ]; do finish_oldest; done
exit $status
