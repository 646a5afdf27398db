#!/usr/bin/env bash
# Runs some of the built tests inside a Debian 12 root that holds only what a fresh Debian 12 has
# (debootstrap minbase + git, ca-certificates, sudo, curl, as /work/shared/tools/fresh-debian.sh
# makes it) plus what `deploy/install-deps.sh --test` installs there. A test that leans on a tool
# this machine has from elsewhere (CI's Node.js 20 from nodesource, say, where Debian 12 has 18)
# fails here although it passes on CI itself. Made for the browser tests: Debian's node, npm and
# chromium, and playwright-core installed afresh by Debian's npm from tests/browser's lock file.
#   tests/debian12/run.sh BUILD_DIR [CTEST_REGEX]     as root; CTEST_REGEX defaults to '^browser'
#
# - The root is made once per version of install-deps.sh (and of the recipe below), or again when
#   it is over 30 days old (a fresh machine gets today's security updates), and kept in
#   $DEBIAN12_CACHE (default /var/cache/mentorbot-ci/debian12-<hash>, ~2.5 GB). It is built in a
#   temporary directory and renamed when complete, so a run that dies half-way leaves nothing that
#   a later run would trust. Making it takes ~8 minutes; a run with it cached starts in seconds.
# - Everything runs in a private mount namespace: the source tree and BUILD_DIR are bind-mounted at
#   the same absolute paths (ctest's recorded commands run unchanged), with /proc, /dev, and tmpfs
#   on /tmp, /root and tests/browser/node_modules (so Debian's npm installs it anew and the
#   checkout's own node_modules is left alone). The mounts are undone on exit, even on failure
#   (and vanish with the namespace even if this script is killed).
# - Inside: `env -i` with a standard PATH; the workplace proxy's CA is handed to node and npm
#   (NODE_EXTRA_CA_CERTS, npm_config_cafile) as fresh-debian.sh does. `node --version` must be v18.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [CTEST_REGEX]" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "debian12: must run as root (debootstrap, chroot and mounts); CI runs as root" >&2
  exit 2
fi
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(realpath "$1")
regex=${2:-^browser}
if [ ! -f "$build/CTestTestfile.cmake" ]; then
  echo "debian12: $build is not a build directory with tests (no CTestTestfile.cmake)" >&2
  exit 2
fi

# Once: into a private mount namespace, so no mount made below can leak to (or outlive) the host's.
if [ -z "${MENTORBOT_DEBIAN12_NS:-}" ]; then
  MENTORBOT_DEBIAN12_NS=1 exec unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi

recipe=3   # bump when the way the root is made (below) changes: the cached root is then remade
cache=${DEBIAN12_CACHE:-/var/cache/mentorbot-ci}
key=$({ cat "$src/deploy/install-deps.sh"; echo "recipe $recipe"; } | sha256sum | cut -c1-16)
root=$cache/debian12-$key
ready=$root/.mentorbot-debian12-ready
ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
max_age_days=30

mkdir -p "$cache"
exec 9>"$cache/lock"   # one run at a time uses (or remakes) the cached root
flock -w 3600 9 || { echo "debian12: $cache/lock still held after an hour" >&2; exit 1; }

mounted=()
created=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
  for ((i = ${#created[@]} - 1; i >= 0; i--)); do rmdir "${created[i]}" 2>/dev/null || true; done
  created=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mount_system() {  # mount_system ROOT: /proc, /dev, fresh /tmp and /root, DNS, hosts, the proxy CA
  mount -t proc proc "$1/proc"; mounted+=("$1/proc")
  mount --rbind /dev "$1/dev"; mounted+=("$1/dev")
  mount -t tmpfs tmpfs "$1/tmp"; mounted+=("$1/tmp")
  mount -t tmpfs -o mode=0700 tmpfs "$1/root"; mounted+=("$1/root")
  cp /etc/resolv.conf /etc/hosts "$1/etc/"   # a real machine resolves names and localhost
  if [ -f "$ca" ]; then cp "$ca" "$1/etc/workplace-ca.crt"; else : >"$1/etc/workplace-ca.crt"; fi
}
inroot() {  # inroot ROOT SCRIPT [ARGS...]: SCRIPT in bash, in a clean environment like a root shell's
  local r=$1
  shift
  chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/etc/workplace-ca.crt npm_config_cafile=/etc/workplace-ca.crt \
    bash -c "$@"
}
remove_root() {  # remove_root DIR: unmount what is left under DIR (a killed run's), then delete it
  local m
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do umount -l "$m"; done
  if awk -v d="$1" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    echo "debian12: something is still mounted under $1; not deleting it" >&2
    exit 1
  fi
  rm -rf --one-file-system "$1"
}

if [ ! -f "$ready" ] || [ -n "$(find "$ready" -mtime +"$max_age_days")" ]; then
  SECONDS=0
  if ! command -v debootstrap >/dev/null; then
    echo "debian12: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  for old in "$cache"/making-* "$cache"/debian12-*; do
    [ -e "$old" ] && remove_root "$old"   # older versions, and what a run that died half-way left
  done
  making=$(mktemp -d "$cache/making-XXXXXX")
  chmod 0755 "$making"   # it becomes the root directory: mktemp made it 0700
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{ print $2; exit }' /etc/apt/sources.list)
  echo "debian12: making a Debian 12 root from $mirror (once per version of deploy/install-deps.sh)"
  debootstrap --variant=minbase --include=ca-certificates,sudo,git,curl bookworm "$making" "$mirror" \
    >"$cache/debootstrap.log" 2>&1 ||
    { echo "debian12: debootstrap failed; see $cache/debootstrap.log" >&2; tail -5 "$cache/debootstrap.log" >&2; exit 1; }
  echo "debian12: debootstrap done after ${SECONDS}s"
  # Package sources as an installed Debian 12 has them: the release, its updates and security.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$making/etc/apt/sources.list.d/debian.sources"
    rm -f "$making/etc/apt/sources.list"
  else
    printf 'deb %s bookworm bookworm-updates main\ndeb %s-security bookworm-security main\n' \
      "$mirror" "$mirror" >"$making/etc/apt/sources.list"
  fi
  mount_system "$making"
  cp "$src/deploy/install-deps.sh" "$making/tmp/install-deps.sh"
  if ! inroot "$making" "bash /tmp/install-deps.sh --test" >"$cache/install-deps.log" 2>&1; then
    echo "debian12: deploy/install-deps.sh --test failed in the fresh root; see $cache/install-deps.log" >&2
    tail -20 "$cache/install-deps.log" >&2
    exit 1
  fi
  inroot "$making" "apt-get clean"
  cleanup
  { date -u +%FT%TZ; chroot "$making" dpkg-query -W nodejs npm chromium; } >"$making/.mentorbot-debian12-ready"
  mv "$making" "$root"
  echo "debian12: root ready after ${SECONDS}s: $root"
else
  echo "debian12: using the cached root $root (made $(head -1 "$ready"))"
fi

mount_system "$root"
for dir in "$src" "$build"; do
  mkdir -p "$root$dir"
  mount --rbind "$dir" "$root$dir"; mounted+=("$root$dir")
done
# tests/browser/node_modules: empty and older than the lock file, so the tests' `npm ci` runs here.
modules=$src/tests/browser/node_modules
if [ -d "$src/tests/browser" ]; then
  if [ ! -e "$modules" ]; then mkdir "$modules"; created+=("$modules"); fi
  mount -t tmpfs tmpfs "$root$modules"; mounted+=("$root$modules")
  touch -d @0 "$root$modules"
fi

node=$(inroot "$root" "node --version")
echo "debian12: node $node ($(inroot "$root" "command -v node")), npm $(inroot "$root" "npm --version"), $(inroot "$root" "chromium --version" 2>/dev/null || echo "no chromium")"
case "$node" in
  v18.*) ;;
  *) echo "debian12: expected Debian 12's node 18 inside the root, found '$node'" >&2; exit 1 ;;
esac
SECONDS=0
rc=0
# shellcheck disable=SC2016  # expanded by the inner bash, from its arguments
inroot "$root" 'cd "$1" && ctest --test-dir "$2" -R "$3" --output-on-failure --no-tests=error --timeout 300' \
  debian12 "$src" "$build" "$regex" </dev/null || rc=$?
echo "debian12: ctest -R '$regex' in the Debian 12 root: rc=$rc after ${SECONDS}s"
exit "$rc"
