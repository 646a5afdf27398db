#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free loopback port.
#   pg-cluster.sh start STATE   initdb in a new temp dir, start it, write its URL to STATE
#   pg-cluster.sh stop STATE    stop it and remove its directory
#   pg-cluster.sh halt STATE    stop the server, keep the cluster (an outage)
#   pg-cluster.sh resume STATE  start it again on the same port
# The cluster trusts loopback connections and does not fsync: it holds test data, and is gone
# afterwards (PG_DURABLE=1 keeps PostgreSQL's defaults instead: fsync on, for benchmarks). As root it runs as the `postgres` user (initdb refuses root). It fails, saying why,
# when PostgreSQL is missing or will not start: a run never skips it silently.
set -euo pipefail
cmd=${1:?start or stop}
state=${2:?state file}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-cluster: PostgreSQL is not installed (deploy/install-deps.sh --test installs Debian's postgresql)" >&2
  exit 1
fi
owner=()
[ "$(id -u)" -eq 0 ] && owner=(runuser -u postgres --)
durability="-c fsync=off -c full_page_writes=off"
[ "${PG_DURABLE:-0}" = 1 ] && durability=""

stop() {
  [ -f "$state.dir" ] || return 0
  local dir
  dir=$(cat "$state.dir")
  if [ -d "$dir/data" ]; then
    "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rm -f "$state" "$state.dir" "$state.port"
}

case "$cmd" in
  stop) stop ;;
  start)
    stop
    dir=$(mktemp -d /tmp/mentorbot-pg-XXXXXX)
    echo "$dir" >"$state.dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if ! "${owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
      echo "pg-cluster: initdb failed:" >&2
      cat "$dir/initdb.log" >&2
      exit 1
    fi
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      if "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
          start >/dev/null 2>&1; then
        echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state"
        echo "$port" >"$state.port"
        echo "pg-cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
        exit 0
      fi
    done
    echo "pg-cluster: PostgreSQL would not start; its log says:" >&2
    tail -20 "$dir/server.log" >&2 || true
    exit 1
    ;;
  halt)
    dir=$(cat "$state.dir")
    "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
    ;;
  resume)
    dir=$(cat "$state.dir")
    port=$(cat "$state.port")
    "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
      start >/dev/null
    ;;
  *) echo "pg-cluster: start, stop, halt or resume, not $cmd" >&2; exit 2 ;;
esac
