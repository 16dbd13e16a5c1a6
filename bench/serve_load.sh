#!/usr/bin/env bash
# Load on `pgpkit serve` (issue 13), in one run, loopback only, bounded in time: wrk
# against the server on SQLite and on PostgreSQL, and against Debian's SKS on the
# Debian keyrings (SKS cannot build a store of the large size in reasonable time).
#
# usage: bench/serve_load.sh [N]           (default N=100000 certificates)
#   env PGPKIT_BIN  pgpkit binary [build/pgpkit]
#   env DURATION    seconds per wrk run [10]
#   env CONNS       wrk connections [32]; wrk threads are 2 (this machine has 2 cores)
#   env SKIP_SKS=1  leave SKS out
#
# Steps:
#   1. the store: bench/make_store.sh N (gen-key --seed certificates; cached in
#      bench/out/store-N.db), plus Debian's four keyrings imported into a copy of it;
#   2. pgpkit serve --db sqlite:...: wrk op=get by fingerprint, rotating over every
#      fingerprint, then op=index by e-mail, rotating over every address;
#   3. a throwaway PostgreSQL cluster (scripts/pg-throwaway.sh): the same certificates
#      loaded by POSTs of up to 500 certificates and 4 MB each to pgpkit serve --db postgresql://...
#      (the bulk-load time), then the same two wrk runs;
#   4. the Debian keyrings alone on pgpkit serve (SQLite) and on SKS, the same two runs.
# Peak RSS of each server under load from /proc. Prints a markdown table, also written to
# bench/out/serve_load.md. Exit 0 when the run completed, 2 on setup errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
n=${1:-100000}
pgpkit=${PGPKIT_BIN:-"$root/build/pgpkit"}
duration=${DURATION:-10}
conns=${CONNS:-32}
die() { echo "serve_load: error: $*" >&2; exit 2; }
note() { echo "serve_load: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
require_peers "wrk postgresql curl python3 sqlite3" wrk curl python3 sqlite3
[ -x "$pgpkit" ] || die "no pgpkit binary at $pgpkit (build it, or set PGPKIT_BIN)"

work=$(mktemp -d /tmp/serve-load.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  bash "$root/scripts/pg-throwaway.sh" stop "$work/pg" >/dev/null 2>&1 || true
  [ "${SKIP_SKS:-0}" = 1 ] || bash "$root/scripts/sks.sh" stop "$work/sks" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# wrk's script: each thread rotates over the request paths of $PATHS, from its own start.
cat > "$work/rotate.lua" <<'EOF'
local paths, i = {}, 0
init = function(args)
  for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
EOF

# paths KEYSDB OUT_PREFIX: request paths by fingerprint and by e-mail from a pgpkit store.
paths() {
  python3 - "$1" "$2" <<'EOF'
import sqlite3, sys, urllib.parse
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[2] + ".get", "w") as f:
    for (fpr,) in db.execute("SELECT hex(fingerprint) FROM keys WHERE is_primary = 1"):
        f.write(f"/pks/lookup?op=get&options=mr&search=0x{fpr}\n")
with open(sys.argv[2] + ".index", "w") as f:
    for (email,) in db.execute("SELECT DISTINCT email FROM userids WHERE email IS NOT NULL"):
        f.write("/pks/lookup?op=index&options=mr&search=" + urllib.parse.quote(email, safe="") + "\n")
EOF
}

# serve SPEC: starts pgpkit serve on a free port; sets $port and $server_pid.
serve() {
  "$pgpkit" serve --db "$1" --listen 127.0.0.1:0 >/dev/null 2>"$work/serve.log" &
  server_pid=$!
  pids+=("$server_pid")
  port=""
  for _ in $(seq 200); do
    port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  die "pgpkit serve did not start: $(cat "$work/serve.log")"
}

# peak_rss PID: VmHWM of a running process, in MB.
peak_rss() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# load NAME PORT PID PATHFILE: one wrk run; appends a table row.
load() {
  local out
  out=$(PATHS="$4" wrk -t2 -c"$conns" -d"${duration}s" -s "$work/rotate.lua" "http://127.0.0.1:$2" | grep '^RESULT')
  read -r _ rps p99 bad errs <<<"$out"
  note "$1: $rps req/s, p99 $p99 ms, non-2xx $bad, socket errors $errs"
  rows+=("| $1 | $rps | $p99 | $bad | $errs | $(peak_rss "$3") |")
}

rows=()
store="$here/out/store-$n.db"
[ -e "$store" ] || PGPKIT_BIN="$pgpkit" bash "$here/make_store.sh" "$n" "$store"
mkdir -p "$work/home" "$work/debian"
cp "$store" "$work/home/keys.db"
cat /usr/share/keyrings/debian-{keyring,maintainers,nonupload,role-keys}.gpg > "$work/debian.pgp"
"$pgpkit" import -q --home "$work/home" "$work/debian.pgp"
"$pgpkit" import -q --home "$work/debian" "$work/debian.pgp"
total=$(sqlite3 "$work/home/keys.db" "SELECT count(*) FROM certs")
paths "$work/home/keys.db" "$work/big"
paths "$work/debian/keys.db" "$work/small"
note "store: $total certificates, $(wc -l < "$work/big.index") addresses"

serve "sqlite:$work/home/keys.db"
load "SQLite, $total certs: get by fingerprint" "$port" "$server_pid" "$work/big.get"
load "SQLite, $total certs: index by e-mail" "$port" "$server_pid" "$work/big.index"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

uri=$(bash "$root/scripts/pg-throwaway.sh" start "$work/pg")
serve "$uri"
"$pgpkit" export --home "$work/home" > "$work/all.pgp"
t0=$(date +%s.%N)
# Bulk load in uploads of 500 certificates: split the export at public-key packets.
python3 - "$work/all.pgp" "$work/batch" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
def packets(b):
    i = 0
    while i < len(b):
        start, ctb = i, b[i]
        if ctb & 0x40:
            tag, l0 = ctb & 0x3F, b[i + 1]
            if l0 < 192: hl, ln = 2, l0
            elif l0 < 224: hl, ln = 3, ((l0 - 192) << 8) + b[i + 2] + 192
            else: hl, ln = 6, int.from_bytes(b[i + 2:i + 6], "big")
        else:
            tag, lt = (ctb >> 2) & 0xF, ctb & 3
            hl = 1 + (1, 2, 4)[lt]
            ln = int.from_bytes(b[i + 1:i + hl], "big")
        i += hl + ln
        yield tag, start, i
starts = [s for tag, s, e in packets(data) if tag == 6] + [len(data)]
# At most 500 certificates and 4 MB per upload (the server takes 8 MB).
batch, first, n = 0, 0, 0
for k in range(1, len(starts)):
    if k - first == 500 or starts[k] - starts[first] > 4000000 or k == len(starts) - 1:
        end = k if (k - first == 500 or k == len(starts) - 1) and starts[k] - starts[first] <= 4000000 else max(k - 1, first + 1)
        open(f"{sys.argv[2]}-{batch:05d}.pgp", "wb").write(data[starts[first]:starts[end]])
        batch, first = batch + 1, end
if first < len(starts) - 1:
    open(f"{sys.argv[2]}-{batch:05d}.pgp", "wb").write(data[starts[first]:])
EOF
for f in "$work"/batch-*.pgp; do
  curl -s -o /dev/null -w '%{http_code}\n' --data-urlencode "keytext@$f" "http://127.0.0.1:$port/pks/add" |
    grep -qx 200 || note "upload of $f was not a 200"
done
t1=$(date +%s.%N)
bulk=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
note "PostgreSQL bulk load: $total certificates in $bulk s"
load "PostgreSQL, $total certs: get by fingerprint" "$port" "$server_pid" "$work/big.get"
load "PostgreSQL, $total certs: index by e-mail" "$port" "$server_pid" "$work/big.index"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

serve "sqlite:$work/debian/keys.db"
load "SQLite, Debian keyrings: get by fingerprint" "$port" "$server_pid" "$work/small.get"
load "SQLite, Debian keyrings: index by e-mail" "$port" "$server_pid" "$work/small.index"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
if [ "${SKIP_SKS:-0}" != 1 ]; then
  sks_port=11399
  sks_pid=$(bash "$root/scripts/sks.sh" start "$work/debian.pgp" "$work/sks" "$sks_port" | tail -1)
  load "SKS, Debian keyrings: get by fingerprint" "$sks_port" "$sks_pid" "$work/small.get"
  load "SKS, Debian keyrings: index by e-mail" "$sks_port" "$sks_pid" "$work/small.index"
fi

mkdir -p "$here/out"
{
  echo "| server, store: request | req/s | p99 (ms) | non-2xx | socket errors | peak RSS (MB) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "wrk -t2 -c$conns -d${duration}s, rotating over every fingerprint / address of the store;"
  echo "PostgreSQL bulk load of $total certificates in uploads of up to 500 (4 MB): $bulk s."
} | tee "$here/out/serve_load.md"
