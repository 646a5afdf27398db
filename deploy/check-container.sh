#!/usr/bin/env bash
# Builds deploy/Containerfile with podman (Debian's) and smoke-tests the image: the healthcheck
# passes, GET /healthz and GET / answer 200, `mentorbot render welcome` works, the process runs as
# its own user, and `podman stop` (SIGTERM) ends it with exit code 0.
#   deploy/check-container.sh            (root; installs podman, runc and debootstrap if missing)
#   IMAGE=localhost/mentorbot:check JOBS=2
# When debian:bookworm-slim can be neither found nor pulled (no registry reachable), the base image
# is made with debootstrap from Debian's own mirror and imported under that name.
# Containers run with runc and explicit ulimits, on the host's network: that is what works in a
# VM without systemd and with hybrid cgroups (crun refuses both there); elsewhere it works too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
image="${IMAGE:-localhost/mentorbot:check}"
base=docker.io/library/debian:bookworm-slim

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-container: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

nofile="$(ulimit -Hn)"
nproc="$(ulimit -Hu)"
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
podman=(podman --runtime runc)
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")

if ! podman image exists "$base" && ! timeout 60 podman pull -q "$base" >/dev/null 2>&1; then
  echo "check-container: no $base to pull: making it with debootstrap (bookworm, minbase)" >&2
  root="$(mktemp -d)"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  cat >"$root/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner -c . | podman import --change 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$root"
fi

echo "check-container: building $image" >&2
"${podman[@]}" build --format docker --pull=never --network=host "${limits[@]}" --build-arg JOBS="${JOBS:-2}" \
  -f deploy/Containerfile --ignorefile deploy/Containerfile.dockerignore -t "$image" . >&2

name="mentorbot-check-$$"
volume="$name-data"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() {
  echo "check-container: $*" >&2
  podman logs "$name" 2>&1 | tail -n 20 >&2 || true
  exit 1
}

# PORT=0: the kernel picks a free port on the host's network; the start-up line names it.
"${podman[@]}" run -d --name "$name" --network=host "${limits[@]}" -e PORT=0 -e HOST=127.0.0.1 \
  -v "$volume:/var/lib/mentorbot" "$image" >/dev/null
port=""
for _ in $(seq 1 100); do
  port="$(podman logs "$name" 2>&1 | grep -o 'listening on 127\.0\.0\.1:[0-9]*' | head -n 1 | sed 's/.*://')" || true
  [ -n "$port" ] && break
  [ "$(podman inspect "$name" --format '{{.State.Running}}')" = true ] || fail "the container stopped"
  sleep 0.2
done
[ -n "$port" ] || fail "mentorbot did not say where it listens"

[ "$(podman inspect "$name" --format '{{.Config.User}}')" = mentorbot ] || fail "not running as user mentorbot"
[ "$(podman exec "$name" id -u)" = 10001 ] || fail "not running as uid 10001"
# The image's HEALTHCHECK, run once by hand (its timer needs systemd), with the container's PORT.
"${podman[@]}" exec -e PORT="$port" "$name" bash -c \
  "$(podman image inspect "$image" --format '{{index .Config.Healthcheck.Test 3}}')" || fail "the HEALTHCHECK command failed"
status="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")"
[ "$status" = 200 ] || fail "GET /healthz answered $status"
status="$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:$port/")"
case "$status" in "200 text/html"*) ;; *) fail "GET / answered $status" ;; esac
podman exec "$name" mentorbot render welcome | grep -q octocat || fail "mentorbot render welcome failed"

podman stop -t 30 "$name" >/dev/null
code="$(podman inspect "$name" --format '{{.State.ExitCode}}')"
[ "$code" = 0 ] || fail "mentorbot exited $code after SIGTERM"
echo "check-container: ok ($image, $(podman image inspect "$image" --format '{{.Size}}') bytes; healthcheck, /healthz, /, render, user 10001, SIGTERM exit 0)"
