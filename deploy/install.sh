#!/usr/bin/env bash
# Builds mentorbot and installs it as a system service (run as root, or with sudo):
#   deploy/install.sh                    PREFIX=/usr/local: bin/mentorbot, share/mentorbot/
#   PREFIX=/opt/mentorbot deploy/install.sh
# Then: the unit in /etc/systemd/system/mentorbot.service (ExecStart naming PREFIX/bin/mentorbot),
# and /etc/mentorbot/mentorbot.env (mode 0600) from deploy/mentorbot.env.example unless it exists.
# Nothing is started: fill in the env file, then `systemctl enable --now mentorbot`.
# Upgrading is running it again (then `systemctl restart mentorbot`); the env file is kept.
#   BUILD_DIR (default build-release)  SYSTEMD=0 (binary and data only, no unit, no env file)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
prefix="${PREFIX:-/usr/local}"
build_dir="${BUILD_DIR:-build-release}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

deploy/install-deps.sh
BUILD_DIR="$build_dir" TESTS=0 deploy/build.sh
$sudo cmake --install "$build_dir" --prefix "$prefix" --strip

if [ "${SYSTEMD:-1}" = 0 ]; then
  echo "mentorbot: installed $prefix/bin/mentorbot (data in $prefix/share/mentorbot)"
  exit 0
fi
# The unit as installed in the prefix already names $prefix/bin/mentorbot (deploy/packaging.cmake).
$sudo install -D -m 0644 "$prefix/lib/systemd/system/mentorbot.service" /etc/systemd/system/mentorbot.service
if [ ! -e /etc/mentorbot/mentorbot.env ]; then
  $sudo install -d -m 0755 /etc/mentorbot
  $sudo install -m 0600 deploy/mentorbot.env.example /etc/mentorbot/mentorbot.env
  echo "mentorbot: wrote /etc/mentorbot/mentorbot.env (mode 0600): fill in APP_ID, the key, the secret"
fi
if [ -d /run/systemd/system ]; then $sudo systemctl daemon-reload; fi
cat <<EOF
mentorbot: installed $prefix/bin/mentorbot and /etc/systemd/system/mentorbot.service
  edit /etc/mentorbot/mentorbot.env, then: systemctl enable --now mentorbot
  logs: journalctl -u mentorbot -f    state: /var/lib/mentorbot
EOF
