#!/usr/bin/env bash
# Makes a pgpkit key store of N certificates with `pgpkit gen-key --seed`, for
# bench/store_bench (issue 10: look-ups in a store of 100,000 certificates).
#
# usage: bench/make_store.sh [N] [OUTPUT]
#        (defaults: N=100000, OUTPUT=bench/out/store-N.db, which store_bench reads)
#   env PGPKIT_BIN   pgpkit binary [build/pgpkit]
#   env STORE_BENCH  store_bench binary [build/bench/store_bench]
#   env JOBS         gen-key --jobs [2]
#
# Steps: `store_bench --params N` writes N parameter blocks (Ed25519 primary, Cv25519
# subkey, user ID "Store Bench 000042 <bench000042@example.org>", Creation-Date
# 2026-01-01, no protection); `pgpkit gen-key --seed SEED --jobs JOBS` generates them (block
# i gets the seeded generator's fork i, so the keys do not depend on JOBS); then
# `store_bench --load` puts the certificates in the store through keyring::StoreWriter
# (until `pgpkit import` lands, the only writer of a store). The certificates are the same
# as those store_bench makes in-process when its store is missing: same parameters, seed
# and generator. Prints the time of each step.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
n=${1:-100000}
out=${2:-"$here/out/store-$n.db"}
pgpkit=${PGPKIT_BIN:-"$root/build/pgpkit"}
store_bench=${STORE_BENCH:-"$root/build/bench/store_bench"}
jobs=${JOBS:-2}
seed=7067706b69742073746f72652062656e6368  # "pgpkit store bench", as store_bench.cpp

secs() { awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'; }
die() { echo "make_store: $*" >&2; exit 2; }
[[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number, got '$n'"
[[ -x $pgpkit ]] || die "no pgpkit binary at $pgpkit (build it, or set PGPKIT_BIN)"
[[ -x $store_bench ]] || die "no store_bench at $store_bench (needs libbenchmark-dev; or set STORE_BENCH)"
[[ -e $out ]] && die "$out exists; remove it first"

mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

t0=$(date +%s.%N)
"$store_bench" --params "$n" >"$work/keys.param"
t1=$(date +%s.%N)
"$pgpkit" gen-key --batch "$work/keys.param" --seed "$seed" --jobs "$jobs" \
  --output "$work/keys.pgp" 2>"$work/gen-key.log" || { tail -5 "$work/gen-key.log" >&2; die "gen-key failed"; }
t2=$(date +%s.%N)
"$store_bench" --load "$work/keys.pgp" --store "$out.part"
mv "$out.part" "$out"
t3=$(date +%s.%N)
printf 'make_store: %s certificates: params %.1f s, gen-key --seed --jobs %s %.1f s (%s octets of secret keys), store %.1f s -> %s (%s octets)\n' \
  "$n" "$(secs $t1 $t0)" "$jobs" "$(secs $t2 $t1)" "$(stat -c %s "$work/keys.pgp")" \
  "$(secs $t3 $t2)" "$out" "$(stat -c %s "$out")"
