#!/usr/bin/env bash
# Git fetches per pull request: first-timers' pull requests that each have a head commit of their
# own and are opened after the bot mirrored the repository (as real ones are; in ../shared/bench
# every pull request shares one head), sent to a bot that talks to the shared fake GitHub. A bot
# that fetches refs/pull/N/head to learn who wrote a pull request leaves that ref in its mirror:
# the count of refs/pull/* there afterwards is the count of those fetches.
#
#   tests/bench/pr-fetches.sh BOT_BINARY [N]      (N pull requests, default 30)
# Prints: pull requests, comments posted, pull-request fetches, and the bot's CPU ms per webhook.
set -euo pipefail
bot="$(realpath "$1")"
n="${2:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench="${BENCH_DIR:-$root/../shared/bench}"
work="$(mktemp -d /tmp/mentorbot-pr-fetches.XXXXXX)"
fake_port="${FAKE_PORT:-39280}"
bot_port="${BOT_PORT:-39281}"
secret="pr-fetches-secret-0123456789"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

# The repository: main by its maintainer.
git init -q --bare -b main "$work/repo.git"
git init -q -b main "$work/src"
g() { git -C "$work/src" -c user.name="$1" -c user.email="$2" "${@:3}"; }
for i in 1 2 3; do echo "$i" >> "$work/src/README.md"; g Mona mona@example.org add README.md; g Mona mona@example.org commit -qm "Maintain $i"; done
base="$(git -C "$work/src" rev-parse HEAD)"
git -C "$work/src" push -q "$work/repo.git" main

# Pull requests FROM..TO, each one commit of its own on top of main, published as refs/pull/N/head.
open_prs() {
  local refs=()
  for i in $(seq "$1" "$2"); do
    git -C "$work/src" checkout -q -B "pr$i" "$base"
    echo "change $i" > "$work/src/contrib-$i.txt"
    g "Nina Newbie" "nina+$i@example.net" add "contrib-$i.txt"
    g "Nina Newbie" "nina+$i@example.net" commit -qm "Change $i"
    refs+=("$(git -C "$work/src" rev-parse HEAD):refs/pull/$i/head")
  done
  git -C "$work/src" push -q "$work/repo.git" "${refs[@]}"
}

# The first-timer's pull request, from the shared fixture.
python3 - "$root/tests/fixtures/github-webhooks/pull_request/opened.json" "$work" "$base" <<'EOF'
import json, sys
payload = json.load(open(sys.argv[1]))
work, base = sys.argv[2], sys.argv[3]
pr = payload["pull_request"]
pr["author_association"] = "FIRST_TIME_CONTRIBUTOR"
pr["user"].update({"login": "newcomer-nina", "id": 7007, "type": "User"})
payload["sender"] = dict(pr["user"])
pr["base"]["sha"] = base
payload["repository"]["clone_url"] = "file://" + work + "/repo.git"
payload["repository"]["default_branch"] = "main"
json.dump(payload, open(work + "/body.json", "w"))
EOF

# One signed webhook per pull request FROM..TO, each with its own number and head.
cat > "$work/send.py" <<'EOF'
import hashlib, hmac, json, subprocess, sys, urllib.request
work, secret, port, first, last = sys.argv[1], sys.argv[2].encode(), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
template = json.load(open(work + "/body.json"))
for i in range(first, last + 1):
    p = json.loads(json.dumps(template))
    p["number"] = i
    p["pull_request"]["number"] = i
    p["pull_request"]["head"]["sha"] = subprocess.check_output(
        ["git", "--git-dir", work + "/repo.git", "rev-parse", f"refs/pull/{i}/head"]).decode().strip()
    body = json.dumps(p, separators=(",", ":")).encode()
    sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/github/webhooks", body, {
        "Content-Type": "application/json", "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": f"fetches-{i}", "X-Hub-Signature-256": sig})
    urllib.request.urlopen(req).read()
EOF
send() { python3 "$work/send.py" "$work" "$secret" "$bot_port" "$1" "$2"; }
comments() { curl -sf "http://127.0.0.1:$fake_port/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["comments"])'; }

openssl genrsa -traditional -out "$work/key.pem" 2048 2>/dev/null
node "$bench/fake-github/server.js" --port "$fake_port" --app-id 424242 --payload "$work/body.json" > "$work/fake.log" 2>&1 &
pids+=($!)
env -i PATH="$PATH" HOME="$work" APP_ID=424242 PRIVATE_KEY_PATH="$work/key.pem" WEBHOOK_SECRET="$secret" \
  PORT="$bot_port" HOST=127.0.0.1 GHE_HOST="127.0.0.1:$fake_port" GHE_PROTOCOL=http LOG_LEVEL=warn \
  MENTORBOT_DATA_DIR="$work/data" MENTORBOT_WRITE_INTERVAL_MS=0 "$bot" serve > "$work/bot.log" 2>&1 &
bot_pid=$!
pids+=($bot_pid)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$bot_port/healthz" >/dev/null && curl -sf "http://127.0.0.1:$fake_port/__health" >/dev/null && break
  sleep 0.1
done

# One pull request at a time, each opened after the bot handled the one before: its commit is
# not in the mirror yet. (A file:// fetch brings every object the mirror lacks, so pull requests
# opened together would ride on one fetch; over https GitHub sends only what is asked for.)
for i in $(seq 1 "$n"); do
  open_prs "$i" "$i"
  send "$i" "$i"
  for _ in $(seq 300); do [ "$(comments)" -ge "$i" ] && break; sleep 0.05; done
done

read -ra stat < "/proc/$bot_pid/stat"
cpu_ticks=$(( stat[13] + stat[14] ))
posted="$(comments)"
kill -TERM "$bot_pid"; wait "$bot_pid" 2>/dev/null || true
mirror="$(find "$work/data/mirrors" -maxdepth 3 -name '*.git' -type d | head -n1)"
fetched="$(git --git-dir="$mirror" for-each-ref 'refs/pull/' | wc -l)"
echo "pull requests: $n, comments posted: $posted, pull-request fetches: $fetched" \
     "($(python3 -c "print(round($fetched / $n, 2))") per pull request), bot CPU: $(python3 -c "print(round($cpu_ticks * 10 / $n, 2))") ms per webhook"
