#!/usr/bin/env bash
# Side-by-side armor/dearmor throughput: pgpkit vs gpg, sq, rnp, and base64 as the
# physical reference, on one >= 200 MB payload, in one run.
#
#   bench/compare_armor.sh [PGPKIT_BINARY] [SIZE_MB]
#
# Defaults: build-armor/pgpkit (or build/pgpkit), 200 MB. Uses hyperfine when installed
# (3 runs + 1 warm-up each, mean reported), else /usr/bin/time on one run. MB/s is of the
# binary payload (1 MB = 10^6 bytes) in both directions, so the rows compare directly;
# "x pgpkit" is how many times slower than pgpkit the tool is.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
pgpkit=${1:-}
if [[ -z $pgpkit ]]; then
    for c in "$here/build-armor/pgpkit" "$here/build/pgpkit"; do [[ -x $c ]] && pgpkit=$c && break; done
fi
size_mb=${2:-200}
[[ -x ${pgpkit:-} ]] || { echo "pgpkit binary not found; pass it as the first argument" >&2; exit 2; }
for tool in gpg sq rnp base64 python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/bootstrap.sh" >&2; exit 2; }
done

work=$(mktemp -d /tmp/compare_armor.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GNUPGHOME=$work/gnupg
mkdir -m 700 "$GNUPGHOME"

bin=$work/payload.bin
asc=$work/payload.asc
b64=$work/payload.b64
head -c $((size_mb * 1000000)) /dev/urandom > "$bin"
"$pgpkit" armor --label message "$bin" > "$asc"        # 64-column lines, CRC-24
base64 -w 64 "$bin" > "$b64"
"$pgpkit" dearmor "$asc" | cmp - "$bin"               # sanity: our own round trip
gpg --batch --dearmor < "$asc" | cmp - "$bin"          # peers read the same file
bytes=$(stat -c %s "$bin")

echo "pgpkit: $pgpkit"
echo "payload: $bytes bytes binary, $(stat -c %s "$asc") bytes armored; $(nproc) cores; $(uname -m)"
echo "versions: $(gpg --version | head -1); $(sq --version 2>&1 | head -1); $(rnp --version 2>&1 | head -1); $(base64 --version | head -1)"

names=(); cmds=()
add() { names+=("$1"); cmds+=("$2"); }
add "dearmor pgpkit"   "$pgpkit dearmor $asc > /dev/null"
add "dearmor gpg"      "gpg --batch --dearmor < $asc > /dev/null"
add "dearmor sq"       "sq dearmor $asc > /dev/null"
add "dearmor rnp"      "rnp --dearmor < $asc > /dev/null"
add "decode base64 -d" "base64 -d $b64 > /dev/null"
add "armor pgpkit"     "$pgpkit armor --label message $bin > /dev/null"
add "armor gpg"        "gpg --batch --enarmor < $bin > /dev/null"
add "armor sq"         "sq armor --label message $bin > /dev/null"
add "armor rnp"        "rnp --enarmor=msg < $bin > /dev/null"
add "encode base64"    "base64 -w 64 $bin > /dev/null"

times=$work/times.tsv
: > "$times"
if command -v hyperfine >/dev/null; then
    echo "timer: hyperfine $(hyperfine --version | awk '{print $2}') (--warmup 1 --runs 3, mean)"
    for i in "${!cmds[@]}"; do
        hyperfine --shell=bash --warmup 1 --runs 3 --style none --export-json "$work/h.json" "${cmds[$i]}" >/dev/null
        mean=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json")
        printf '%s\t%s\n' "${names[$i]}" "$mean" >> "$times"
    done
else
    echo "timer: /usr/bin/time (1 run)"
    for i in "${!cmds[@]}"; do
        t=$( { /usr/bin/time -f %e bash -c "${cmds[$i]}"; } 2>&1 | tail -1)
        printf '%s\t%s\n' "${names[$i]}" "$t" >> "$times"
    done
fi

python3 - "$times" "$bytes" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
size = int(sys.argv[2])
base = {}
for name, t in rows:
    if name.endswith("pgpkit"):
        base[name.split()[0]] = float(t)
print()
print(f"{'operation / tool':<20} {'seconds':>9} {'MB/s':>9} {'x pgpkit':>9}")
for name, t in rows:
    t = float(t)
    kind = name.split()[0]
    ref = base["dearmor" if kind in ("dearmor", "decode") else "armor"]
    print(f"{name:<20} {t:>9.3f} {size / t / 1e6:>9.0f} {t / ref:>9.2f}")
PY
