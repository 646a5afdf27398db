#!/usr/bin/env bash
# Installs the Debian 12 packages mentorbot needs to build and test, if any are missing.
#   deploy/install-deps.sh            what building and running needs
#   deploy/install-deps.sh --test     also what the tests need: PostgreSQL (a throwaway cluster per
#                                     run), for the browser test Chromium, Node.js and npm, and
#                                     systemd-analyze for the unit check
#   deploy/install-deps.sh --bench    also what the benchmarks need (wrk, Node.js)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates openssl
  libboost1.81-dev libssl-dev libsqlite3-dev libpq-dev libspdlog-dev libfmt-dev libgit2-dev catch2
  libkainjow-mustache-dev libyaml-cpp-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${1:-}" = "--test" ]; then
  # The store suite and the replica tests run against a real PostgreSQL (initdb + pg_ctl).
  dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed" || missing+=(postgresql)
  # Debian's Chromium, driven by playwright-core from npm (tests/browser).
  dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed" || missing+=(chromium)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # systemd-analyze verify / security on deploy/mentorbot.service (deploy/check-unit.sh).
  command -v systemd-analyze >/dev/null || missing+=(systemd)
fi
if [ "${1:-}" = "--bench" ]; then
  # Node.js may come from elsewhere than Debian (the harness needs >= 20.18): ask for the commands.
  command -v wrk >/dev/null || missing+=(wrk)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "mentorbot: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
