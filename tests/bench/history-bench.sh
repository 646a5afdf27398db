#!/usr/bin/env bash
# The author index benchmark: makes a repository of COMMITS commits by AUTHORS authors (Zipf,
# 2 % merges, 10 % noreply addresses, 5 % joined by .mailmap), then runs history_bench on it
# twice: as fast-import leaves it, and with a commit-graph (as mentorbot's mirrors keep one).
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
make_repo "$work/plain.git"
cp -r "$work/plain.git" "$work/graph.git"; cp "$work/plain.git.marks" "$work/graph.git.marks"; cp "$work/plain.git.last" "$work/graph.git.last"
echo "== without a commit-graph" >&2
"$bin/history_bench" --repo "$work/plain.git" --runs "$runs" --append-cmd "$(append_cmd "$work/plain.git")"
echo "== with a commit-graph (written by libgit2, as the mirror does after a clone)" >&2
"$bin/history_bench" --repo "$work/graph.git" --runs "$runs" --write-commit-graph 1 --append-cmd "$(append_cmd "$work/graph.git")"
[ -n "${WORK_DIR:-}" ] || rm -rf "$work"
