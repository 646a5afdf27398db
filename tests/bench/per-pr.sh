#!/usr/bin/env bash
# What one first-timer's pull request costs, before and after a change, in one run: the shared
# harness's end-to-end phase (../shared/bench/run.sh cpp, writes unpaced), BEFORE and AFTER
# taking turns so that a slow minute of this machine falls on both; then tests/bench/pr-fetches.sh
# for each. Prints one line per run and the medians.
#
#   tests/bench/per-pr.sh BEFORE_BINARY AFTER_BINARY [RUNS]      (RUNS each, default 5)
set -euo pipefail
before="$(realpath "$1")"
after="$(realpath "$2")"
runs="${3:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
out="$(mktemp -d /tmp/mentorbot-per-pr.XXXXXX)"
trap 'rm -rf "$out"' EXIT

one() {  # LABEL BINARY: one end-to-end run; prints cpu-ms api-requests comments/s peak-rss-mib
  MENTORBOT_WRITE_INTERVAL_MS=0 PHASES=e2e RESULTS_DIR="$out" BOT_CMD="$2 serve" BOT_VERSION="$1" \
    bash "$bench/run.sh" cpp > "$out/last.out" 2>&1
  sed -n 's/^BENCH_JSON //p' "$out/last.out" | python3 -c '
import json, sys
j = json.load(sys.stdin); e = j["e2e"]
print(e["bot_cpu_ms_per_webhook"], e["fake_github"]["api_requests_per_webhook"], round(e["e2e_comments_per_s"]),
      round(j["peak_rss_kb"] / 1024, 1), e["lost_at_deadline"], e["duplicate_comments"])'
}

echo "run label cpu_ms_per_webhook api_requests_per_webhook comments_per_s peak_rss_mib lost duplicates"
for i in $(seq 1 "$runs"); do
  for label in before after; do
    bin="$before"; [ "$label" = after ] && bin="$after"
    echo "$i $label $(one "$label" "$bin")" | tee -a "$out/runs.txt"
  done
done
python3 - "$out/runs.txt" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for label in ("before", "after"):
    mine = [r for r in rows if r[1] == label]
    med = lambda k: statistics.median(float(r[k]) for r in mine)
    print(f"median {label}: {med(2):.2f} ms CPU per webhook, {med(3):g} API requests per webhook, "
          f"{med(4):.0f} comments/s, peak RSS {med(5):.1f} MiB")
b = statistics.median(float(r[2]) for r in rows if r[1] == "before")
a = statistics.median(float(r[2]) for r in rows if r[1] == "after")
print(f"after / before, CPU per webhook: {a / b:.2f}")
EOF
for label in before after; do
  bin="$before"; [ "$label" = after ] && bin="$after"
  echo "git fetches, $label: $(bash "$root/tests/bench/pr-fetches.sh" "$bin" 30 | tail -n1)"
done
