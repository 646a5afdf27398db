#!/usr/bin/env bash
# The author index benchmark: makes a repository of COMMITS commits by AUTHORS authors (Zipf,
# 2 % merges, 10 % noreply addresses, 5 % joined by .mailmap), then runs history_bench on it.
#   tests/bench/history-bench.sh            COMMITS=200000 AUTHORS=5000 RUNS=3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
commits="${COMMITS:-200000}"; authors="${AUTHORS:-5000}"; runs="${RUNS:-3}"
work="${WORK_DIR:-$(mktemp -d /var/tmp/mentorbot-history.XXXXXX)}"
"$root/deploy/install-deps.sh"
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/deploy/build.sh" >/dev/null
bin="$root/build-bench/tests"

make_repo() {  # dir
  rm -rf "$1"; git init -q --bare -b main "$1"
  "$bin/make_history" --commits "$commits" --authors "$authors" 2>"$1.last" |
    git -C "$1" fast-import --quiet --export-marks="$1.marks"
  git -C "$1" symbolic-ref HEAD refs/heads/main
}
append_cmd() {  # dir: 100 more commits on main, continuing from the last mark
  local last; last="$(sed -n 's/^last mark :\([0-9]*\)$/\1/p' "$1.last")"
  echo "$bin/make_history --commits 100 --authors $authors --from $last 2>/dev/null | git -C '$1' fast-import --quiet --import-marks='$1.marks'"
}

echo "== making a repository of $commits commits by $authors authors in $work" >&2
make_repo "$work/repo.git"
"$bin/history_bench" --repo "$work/repo.git" --runs "$runs" --append-cmd "$(append_cmd "$work/repo.git")"
[ -n "${WORK_DIR:-}" ] || rm -rf "$work"
