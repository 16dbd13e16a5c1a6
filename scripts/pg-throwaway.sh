#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks of the keyserver's
# PostgreSQL engine: no system service, no TCP port, nothing outside DIR.
#
#   scripts/pg-throwaway.sh start DIR   # initdb DIR/data, start it, socket in DIR;
#                                       # writes the connection URI to DIR/uri and prints it
#   scripts/pg-throwaway.sh stop DIR    # stops it and removes DIR
#
# As root (CI), the server runs as the `postgres` user of Debian's postgresql package.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?directory}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "pg-throwaway: no PostgreSQL server (scripts/bootstrap.sh installs it)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  # Test processes that start together wait for the first to set the cluster up.
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
  if [ -f "$dir/uri" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    cat "$dir/uri"
    exit 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  as_owner test -w "$dir" || { echo "pg-throwaway: the server's user cannot write $dir (or a parent folder)" >&2; exit 1; }
  as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # Unix socket only; small settings, fsync on (the tests check durability, not speed).
  # 9>&-: the server must not inherit the lock, or it would hold it for its whole life.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c max_connections=200 -c shared_buffers=32MB" start >/dev/null 9>&- ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/createdb" -h "$dir" -U postgres pgpkit
  echo "postgresql:///pgpkit?host=$dir&user=postgres" > "$dir/uri"
  cat "$dir/uri"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$dir.lock"
  ;;
*)
  echo "pg-throwaway: start or stop, not '$cmd'" >&2
  exit 2
  ;;
esac
