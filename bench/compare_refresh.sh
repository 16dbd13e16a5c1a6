#!/usr/bin/env bash
# Side by side (issue 12): `pgpkit keyserver refresh` against `gpg --refresh-keys`, the same
# N certificates in each, from the same `pgpkit serve` on loopback, one after the other.
#
# usage: bench/compare_refresh.sh [N]      (default 1000)
#   env PGPKIT_BIN  pgpkit binary [build/pgpkit]
#   env JOBS        pgpkit's --jobs [8]
# The certificates are bench/make_store.sh's (gen-key --seed; cached in bench/out). Prints
# a markdown table, also written to bench/out/compare_refresh.md. Target: 5x gpg.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
n=${1:-1000}
pgpkit=${PGPKIT_BIN:-"$root/build/pgpkit"}
jobs=${JOBS:-8}
die() { echo "compare_refresh: error: $*" >&2; exit 2; }
note() { echo "compare_refresh: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
require_peers "gnupg" gpg gpgconf
[ -x "$pgpkit" ] || die "no pgpkit binary at $pgpkit (build it, or set PGPKIT_BIN)"

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  gpgconf --homedir "$work/g" --kill all >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

store="$here/out/store-$n.db"
[ -e "$store" ] || PGPKIT_BIN="$pgpkit" bash "$here/make_store.sh" "$n" "$store"
mkdir -p "$work/srv" && cp "$store" "$work/srv/keys.db"
"$pgpkit" export --home "$work/srv" > "$work/all.pgp"
"$pgpkit" serve --home "$work/srv" --listen 127.0.0.1:0 >/dev/null 2>"$work/serve.log" &
server=$!
port=""
for _ in $(seq 200); do
  port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || die "pgpkit serve did not start: $(cat "$work/serve.log")"

"$pgpkit" import -q --home "$work/p" "$work/all.pgp"
mkdir -m 700 "$work/g"
gpg --homedir "$work/g" --batch -q --import "$work/all.pgp" 2>/dev/null
echo "keyserver hkp://127.0.0.1:$port" > "$work/g/dirmngr.conf"

ms() { echo $(( ($2 - $1) / 1000000 )); }
t0=$(date +%s%N)
"$pgpkit" keyserver refresh -q --home "$work/p" --keyserver "hkp://127.0.0.1:$port" --jobs "$jobs" > "$work/p.out"
t1=$(date +%s%N)
gpg --homedir "$work/g" --batch --refresh-keys > /dev/null 2> "$work/g.err" || note "gpg --refresh-keys exited $?"
t2=$(date +%s%N)
p_ms=$(ms "$t0" "$t1"); g_ms=$(ms "$t1" "$t2")
p_keys=$(grep -c ': unchanged' "$work/p.out" || true)
g_keys=$(grep -c 'not changed' "$work/g.err" || true)
ratio=$(awk -v a="$p_ms" -v b="$g_ms" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }')
mkdir -p "$here/out"
{
  echo "| tool | wall (ms) | keys reported unchanged | pgpkit is faster by |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| pgpkit keyserver refresh --jobs $jobs | $p_ms | $p_keys | 1.0x |"
  echo "| gpg --refresh-keys | $g_ms | $g_keys | ${ratio}x (target 5x) |"
  echo
  echo "$n certificates from pgpkit serve on 127.0.0.1 (SQLite), one run each."
} | tee "$here/out/compare_refresh.md"
