#!/usr/bin/env bash
# The install test: `cmake --install BUILD_DIR` into an empty temporary prefix, then the installed
# binary alone, from an empty working directory and with an environment of PATH and its own
# settings only (no MENTORBOT_TEMPLATES / MENTORBOT_RULES), serves /healthz and the sprint screen,
# renders a template, and stops cleanly on SIGTERM.
#
# How it proves the data came from PREFIX/share/mentorbot and not from the source tree the binary
# was built from (which exists on this machine): after installing, it stamps the installed copies
# of templates/warm/welcome.md and templates/web/leaderboard.html with a random marker, and expects
# the marker in `mentorbot render welcome` and in GET /; and with LOG_LEVEL=debug the server's
# "review rules loaded from DIR" line must name PREFIX/share/mentorbot/rules.
#
#   tests/install/check.sh BUILD_DIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build_dir="$(cd "$1" && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "install test: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }; done
  exit 1
}

prefix="$work/prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 || fail "cmake --install failed"
data="$prefix/share/mentorbot"
for f in bin/mentorbot share/mentorbot/templates/warm/welcome.md share/mentorbot/templates/web/leaderboard.html \
         share/mentorbot/templates/web/leaderboard.js share/mentorbot/templates/web/leaderboard.css \
         share/mentorbot/rules/todo.yml lib/systemd/system/mentorbot.service \
         share/doc/mentorbot/examples/mentorbot.env.example; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
grep -qx "ExecStart=$prefix/bin/mentorbot serve" "$prefix/lib/systemd/system/mentorbot.service" ||
  fail "the installed unit's ExecStart does not name $prefix/bin/mentorbot"

marker="installed-copy-$RANDOM$RANDOM"
printf '\n%s\n' "$marker" >>"$data/templates/warm/welcome.md"
printf '<!-- %s -->\n' "$marker" >>"$data/templates/web/leaderboard.html"

mkdir "$work/cwd" "$work/data"
cd "$work/cwd"

# render: the installed templates.
env -i PATH="$PATH" "$prefix/bin/mentorbot" render welcome >"$work/render.log" 2>&1 || fail "mentorbot render welcome failed"
grep -q "$marker" "$work/render.log" || fail "mentorbot render welcome did not read $data/templates"
grep -q "octocat" "$work/render.log" || fail "mentorbot render welcome printed no welcome"

# serve: port 0 (the kernel picks a free one), read back from the start-up line.
# (env execs the binary, so $! is mentorbot's own pid: SIGTERM goes to it.)
env -i PATH="$PATH" PORT=0 HOST=127.0.0.1 LOG_LEVEL=debug LOG_FORMAT=json MENTORBOT_DATA_DIR="$work/data" \
  MENTORBOT_DATABASE="sqlite:$work/data/mentorbot.db" "$prefix/bin/mentorbot" serve >"$work/serve.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$work/serve.log" | head -n 1 | sed 's/.*://')" || true
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "mentorbot serve exited before listening"
  sleep 0.1
done
[ -n "$port" ] || fail "mentorbot serve did not say where it listens"

grep -q "review rules loaded from $data/rules" "$work/serve.log" ||
  fail "the rules were not loaded from $data/rules"
status="$(curl -sS -o "$work/healthz.out" -w '%{http_code}' "http://127.0.0.1:$port/healthz")" || fail "GET /healthz"
[ "$status" = 200 ] || fail "GET /healthz answered $status"
status="$(curl -sS -o "$work/page.out" -w '%{http_code} %{content_type}' "http://127.0.0.1:$port/")" || fail "GET /"
case "$status" in "200 text/html"*) ;; *) fail "GET / answered $status" ;; esac
grep -qi '<html' "$work/page.out" || fail "GET / is not an HTML page"
grep -q "$marker" "$work/page.out" || fail "GET / did not serve $data/templates/web/leaderboard.html"

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" -eq 0 ] || fail "mentorbot serve exited $code after SIGTERM"
echo "install test: ok (prefix $prefix, port $port: /healthz 200, / from the installed templates, render, SIGTERM exit 0)"
