#!/usr/bin/env bash
# mentorbot against Probot on ../shared/bench, one after the other on this machine, as ratios.
#
#   tests/bench/vs-probot.sh                 # unpaced pairing, ack + e2e phases, REPEAT=3
#   PHASES=ack tests/bench/vs-probot.sh      # the acknowledgement phase only
#   MODE=defaults tests/bench/vs-probot.sh   # paced pairing: mentorbot as shipped vs probot,
#                                            # E2E_N=120 with a restart after SIGTERM
#
# unpaced:  run.sh probot-unthrottled  vs  run.sh cpp with MENTORBOT_WRITE_INTERVAL_MS=0;
#           then paced_load at half of mentorbot's acknowledged rate (when the ack phase ran).
# defaults: run.sh probot  vs  run.sh cpp with mentorbot's defaults (writes >= 1 s apart), both
#           with E2E_RESTART=1: what each finishes after SIGTERM and a restart.
# Prints a Markdown table of medians and ratios, and VS_PROBOT_JSON {...}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
out="${RESULTS_DIR:-$root/tests/bench/results}"
mode="${MODE:-unpaced}"
mkdir -p "$out"
[ -f "$bench/run.sh" ] || { echo "no benchmark harness at $bench (set BENCH_DIR)" >&2; exit 2; }

"$root/deploy/install-deps.sh" --bench
BUILD_DIR="$root/build-bench" BUILD_TYPE=Release "$root/deploy/build.sh" >/dev/null
bin="$root/build-bench/bot/mentorbot"
version="mentorbot $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo dev)"
median_json() { sed -n 's/^BENCH_MEDIAN_JSON //p; s/^BENCH_JSON //p' "$1" | tail -n1; }

case "$mode" in
  unpaced)
    phases="${PHASES:-ack,e2e}"; repeat="${REPEAT:-3}"
    peer=probot-unthrottled
    bot_env=(MENTORBOT_WRITE_INTERVAL_MS=0)
    extra_env=()
    ;;
  defaults)
    phases="${PHASES:-e2e}"; repeat="${REPEAT:-1}"
    peer=probot
    bot_env=()
    extra_env=(E2E_N="${E2E_N:-120}" E2E_RESTART=1 E2E_RESTART_TIMEOUT="${E2E_RESTART_TIMEOUT:-180}")
    ;;
  *) echo "MODE must be unpaced or defaults" >&2; exit 2 ;;
esac

echo "== $peer ($repeat run(s), phases $phases)" >&2
env "${extra_env[@]}" RESULTS_DIR="$out" REPEAT="$repeat" PHASES="$phases" \
  bash "$bench/run.sh" "$peer" | tee "$out/probot.out" >&2
echo "== mentorbot ($repeat run(s), phases $phases)" >&2
env "${extra_env[@]}" "${bot_env[@]}" RESULTS_DIR="$out" REPEAT="$repeat" PHASES="$phases" \
  BOT_CMD="$bin serve" BOT_VERSION="$version" bash "$bench/run.sh" cpp | tee "$out/mentorbot.out" >&2

paced='null'
if [ "$mode" = unpaced ] && [[ ",$phases," == *",ack,"* ]]; then
  # Latency at half of mentorbot's peak acknowledged rate, same pinning as the harness. The
  # runs above leave gigabytes of deleted bot data being written back; let the disk settle.
  sync; sleep 5
  peak="$(median_json "$out/mentorbot.out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const m=j.medians||{};console.log(Math.round(m["ack: requests/s"] ?? j.ack.rps))})')"
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
    --rate "$((peak / 2))" --connections 32 --seconds 10 | tee "$work/paced.out" >&2
  kill -TERM $bot; wait $bot || true
  trap - EXIT
  paced="$(sed -n 's/^PACED_JSON //p' "$work/paced.out")"
  rm -rf "$work/data"
fi

node - "$(median_json "$out/probot.out")" "$(median_json "$out/mentorbot.out")" "$paced" "$mode" <<'JS'
const [probotText, mentorText, pacedText, mode] = process.argv.slice(2);
const [probot, mentor, paced] = [probotText, mentorText, pacedText].map((s) => JSON.parse(s));
// A single run prints BENCH_JSON (a full result); REPEAT > 1 prints medians by row label.
const value = (j, label, get) => (j.medians ? j.medians[label] : get(j));
const rows = [
  ['ack: requests/s', (r) => r.ack?.rps],
  ['ack: latency p50', (r) => r.ack?.latency_ms?.p50],
  ['ack: latency p99', (r) => r.ack?.latency_ms?.p99],
  ['ack: non-2xx responses', (r) => r.ack?.non_2xx],
  ['e2e: comments/s end to end', (r) => r.e2e?.e2e_comments_per_s],
  ['e2e: lost at deadline', (r) => r.e2e?.lost_at_deadline],
  ['e2e: duplicate comments', (r) => r.e2e?.duplicate_comments],
  ['e2e: webhook->comment p50', (r) => r.e2e?.e2e_latency_ms?.p50],
  ['e2e: webhook->comment p99', (r) => r.e2e?.e2e_latency_ms?.p99],
  ['e2e: ack latency p50', (r) => r.e2e?.ack_latency_ms?.p50],
  ['e2e: bot CPU ms per comment', (r) => r.e2e?.bot_cpu_ms_per_comment],
  ['e2e: load-CPU busy (sender+fake)', (r) => r.e2e?.cpu_busy_pct?.['cpu' + r.env.load_cpus]],
  ['restart: acked, no comment at SIGTERM', (r) => r.restart?.missing_at_sigterm],
  ['restart: completed after restart', (r) => r.restart?.commented_after_restart],
  ['restart: still missing (lost)', (r) => r.restart?.still_missing],
  ['restart: reposted after restart', (r) => r.restart?.reposted_after_restart],
  ['peak RSS (VmHWM)', (r) => r.peak_rss_kb && r.peak_rss_kb / 1024],
];
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : v === undefined || v === null ? '-' : String(v));
console.log(`| metric (${probot.medians ? 'median' : 'one run'}, ${mode}) | ${probot.target} | mentorbot | mentorbot / Probot |`);
console.log('|---|---|---|---|');
const out = {};
for (const [label, get] of rows) {
  const a = value(probot, label, get), b = value(mentor, label, get);
  if ((a === undefined || a === null) && (b === undefined || b === null)) continue;
  const ratio = typeof a === 'number' && typeof b === 'number' && a !== 0 ? b / a : null;
  out[label] = { probot: a ?? null, mentorbot: b ?? null, ratio };
  console.log(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${ratio === null ? '-' : ratio.toFixed(2) + 'x'} |`);
}
if (paced) {
  console.log(`| paced at ${paced.target_rps.toFixed(0)}/s (half of mentorbot's peak): achieved | | ${paced.rps.toFixed(0)}/s | |`);
  console.log(`| paced: latency p50 / p99 / max | | ${paced.p50_ms.toFixed(2)} / ${paced.p99_ms.toFixed(2)} / ${paced.max_ms.toFixed(2)} ms | |`);
  console.log(`| paced: non-2xx | | ${paced.non_2xx} | |`);
}
const runs = (j) => j.runs || [j.run_id];
console.log('VS_PROBOT_JSON ' + JSON.stringify({ mode, probot: runs(probot), mentorbot: runs(mentor), rows: out, paced }));
JS
