#!/usr/bin/env bash
# Checks deploy/mentorbot.service offline (no running systemd needed): `systemd-analyze verify`,
# then `systemd-analyze security`, failing when the exposure is above 2.0.
#   deploy/check-unit.sh [MENTORBOT_BINARY]
# verify wants ExecStart's binary to exist: the check runs on a copy of the unit whose ExecStart
# names MENTORBOT_BINARY (default: build/bot/mentorbot, else /usr/local/bin/mentorbot, else
# /bin/true, which is enough to check the unit itself). systemd-analyze comes with the `systemd`
# package (deploy/install-deps.sh --test).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
unit="$here/mentorbot.service"
max_exposure=2.0

binary="${1:-}"
if [ -z "$binary" ]; then
  for candidate in "$here/../${BUILD_DIR:-build}/bot/mentorbot" /usr/local/bin/mentorbot /bin/true; do
    if [ -x "$candidate" ]; then binary="$candidate"; break; fi
  done
fi
binary="$(realpath "$binary")"
[ -x "$binary" ] || { echo "check-unit: $binary is not an executable" >&2; exit 1; }
command -v systemd-analyze >/dev/null ||
  { echo "check-unit: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
grep -q '^ExecStart=/usr/local/bin/mentorbot serve$' "$unit" ||
  { echo "check-unit: $unit has no 'ExecStart=/usr/local/bin/mentorbot serve' line" >&2; exit 1; }
sed "s#^ExecStart=/usr/local/bin/mentorbot #ExecStart=$binary #" "$unit" >"$work/mentorbot.service"

# verify prints its findings and exits 0 for warnings it does not count as errors: fail on any.
if ! systemd-analyze verify "$work/mentorbot.service" >"$work/verify.log" 2>&1 || [ -s "$work/verify.log" ]; then
  echo "check-unit: systemd-analyze verify found problems:" >&2
  cat "$work/verify.log" >&2
  exit 1
fi
echo "check-unit: systemd-analyze verify: ok (ExecStart=$binary serve)"

threshold="$(awk -v m="$max_exposure" 'BEGIN { printf "%d", m * 10 }')"
status=0
systemd-analyze security --offline=true --threshold="$threshold" --no-pager "$work/mentorbot.service" \
  >"$work/security.log" 2>&1 || status=$?
grep '✗' "$work/security.log" || true
score="$(grep -o 'Overall exposure level for mentorbot.service: [0-9.]*' "$work/security.log" | awk '{print $NF}')"
if [ -z "$score" ]; then
  cat "$work/security.log" >&2
  echo "check-unit: systemd-analyze security printed no exposure level" >&2
  exit 1
fi
if [ "$status" -ne 0 ] || awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s > m) }'; then
  echo "check-unit: exposure $score is above $max_exposure" >&2
  exit 1
fi
echo "check-unit: systemd-analyze security: exposure $score (at most $max_exposure)"
