#!/usr/bin/env bash
# mentorbot against Probot on ../shared/bench, one after the other on this machine, as ratios.
#
#   tests/bench/vs-probot.sh            # ack phase (what the foundation issue measures), REPEAT=3
#   PHASES=ack,e2e tests/bench/vs-probot.sh
#
# 1. ../shared/bench/run.sh probot-unthrottled   (Probot with its Octokit throttling off)
# 2. ../shared/bench/run.sh cpp, BOT_CMD=mentorbot serve, MENTORBOT_WRITE_INTERVAL_MS=0
# 3. paced_load at half of mentorbot's acknowledged rate: latency at a sustainable load
# Prints a Markdown table of medians and ratios, and VS_PROBOT_JSON {...}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
out="${RESULTS_DIR:-$root/tests/bench/results}"
phases="${PHASES:-ack}"
repeat="${REPEAT:-3}"
mkdir -p "$out"
[ -x "$bench/run.sh" ] || [ -f "$bench/run.sh" ] || { echo "no benchmark harness at $bench (set BENCH_DIR)" >&2; exit 2; }

"$root/deploy/install-deps.sh" --bench
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/deploy/build.sh" >/dev/null
bin="$root/build-bench/bot/mentorbot"
version="mentorbot $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo dev)"

median_json() { sed -n 's/^BENCH_MEDIAN_JSON //p; s/^BENCH_JSON //p' "$1" | tail -n1; }

echo "== probot-unthrottled ($repeat runs, phases $phases)" >&2
RESULTS_DIR="$out" REPEAT="$repeat" PHASES="$phases" bash "$bench/run.sh" probot-unthrottled | tee "$out/probot.out" >&2
echo "== mentorbot ($repeat runs, phases $phases)" >&2
# The bot posts no comment until the GitHub client lands, so the harness's smoke test is told to go on.
RESULTS_DIR="$out" REPEAT="$repeat" PHASES="$phases" CONTINUE_ON_SMOKE_FAIL=1 MENTORBOT_WRITE_INTERVAL_MS=0 \
  BOT_CMD="$bin serve" BOT_VERSION="$version" bash "$bench/run.sh" cpp | tee "$out/mentorbot.out" >&2

# Latency at half of mentorbot's peak acknowledged rate, same pinning as the harness. The runs
# above leave gigabytes of deleted bot data being written back; let the disk settle first.
sync; sleep 5
peak="$(median_json "$out/mentorbot.out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const m=j.medians||{};console.log(Math.round(m["ack: requests/s"] ?? j.ack.rps))})')"
half=$((peak / 2))
work="$(mktemp -d "$out/paced.XXXXXX")"
secret="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
sig="$(node "$bench/load/prepare.js" --secret "$secret" --out "$work/body.json" --clone-url "file://$work/repo.git")"
port=39181
WEBHOOK_SECRET="$secret" PORT=$port HOST=127.0.0.1 LOG_LEVEL=warn MENTORBOT_DATA_DIR="$work/data" \
  taskset -c 0 "$bin" serve >"$work/bot.log" 2>&1 &
bot=$!
trap 'kill $bot 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
taskset -c 1 "$root/build-bench/tests/paced_load" --port $port --body "$work/body.json" --signature "$sig" \
  --rate "$half" --connections 32 --seconds 10 | tee "$work/paced.out" >&2
kill -TERM $bot; wait $bot || true
trap - EXIT
paced="$(sed -n 's/^PACED_JSON //p' "$work/paced.out")"
rm -rf "$work/data"

node - "$(median_json "$out/probot.out")" "$(median_json "$out/mentorbot.out")" "$paced" <<'JS'
const [probot, mentor, paced] = process.argv.slice(2).map((s) => JSON.parse(s));
const m = (j, k) => (j.medians ? j.medians[k] : undefined);
const rows = [
  ['ack: requests/s', 'higher is better'],
  ['ack: latency p50', 'ms'],
  ['ack: latency p99', 'ms'],
  ['ack: non-2xx responses', ''],
  ['ack: bot CPU (% of one core)', '%'],
  ['peak RSS (VmHWM)', 'MiB'],
];
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
console.log('| metric (median) | probot-unthrottled | mentorbot | mentorbot / probot |');
console.log('|---|---|---|---|');
const out = {};
for (const [k] of rows) {
  const a = m(probot, k), b = m(mentor, k);
  const ratio = typeof a === 'number' && typeof b === 'number' && a !== 0 ? b / a : null;
  out[k] = { probot: a, mentorbot: b, ratio };
  console.log(`| ${k} | ${fmt(a)} | ${fmt(b)} | ${ratio === null ? '-' : ratio.toFixed(2) + 'x'} |`);
}
console.log(`| paced at ${paced.target_rps.toFixed(0)}/s (half of mentorbot's peak): achieved | | ${paced.rps.toFixed(0)}/s | |`);
console.log(`| paced: latency p50 / p99 / max | | ${paced.p50_ms.toFixed(2)} / ${paced.p99_ms.toFixed(2)} / ${paced.max_ms.toFixed(2)} ms | |`);
console.log(`| paced: non-2xx | | ${paced.non_2xx} | |`);
console.log('VS_PROBOT_JSON ' + JSON.stringify({ probot: probot.runs, mentorbot: mentor.runs, rows: out, paced }));
JS
