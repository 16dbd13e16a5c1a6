#!/usr/bin/env bash
# Side-by-side timing of `pgpkit import` against `rnpkeys --import` and `gpg --import`,
# each into a fresh home, on the same keyring: wall time (median of REPS runs) and peak
# RSS (GNU time). Issue 10 targets: pgpkit at least 5x faster than rnp and 20x faster
# than gpg, memory not growing with the input.
#
# usage: bench/compare_import.sh [PGPKIT_BIN]
#   PGPKIT_BIN  pgpkit executable (argument, else env PGPKIT_BIN, else build/pgpkit)
#   env KEYRING    input (default: Debian's four keyrings concatenated, ~32 MB, 1,178 certs)
#   env REPS       runs of pgpkit and rnp, median reported (default 3)
#   env GPG_REPS   runs of gpg (default 1: gpg takes minutes)
#   env GPG_OPTS   extra gpg options (default: none, gpg --batch --import as a user runs it)
# Prints a markdown table, also written to bench/out/compare_import.md. Exit 0 when the
# run completed (whether or not the targets are met), 2 on setup errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
outdir="$here/out"
reps=${REPS:-3}
gpg_reps=${GPG_REPS:-1}
die() { echo "compare_import: error: $*" >&2; exit 2; }
note() { echo "compare_import: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

pgpkit=${1:-${PGPKIT_BIN:-"$repo/build/pgpkit"}}
[ -x "$pgpkit" ] || die "pgpkit binary not found at $pgpkit (build it first)"
require_peers "gnupg rnp" gpg gpgconf rnpkeys
find_gnutime
[ -n "$gnutime" ] || die "GNU time is needed for peak RSS (Debian package 'time')"

mkdir -p "$outdir"
work=$(mktemp -d)
trap 'gpgconf --homedir "$work/g" --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
keyring=${KEYRING:-}
if [ -z "$keyring" ]; then
  keyring="$work/debian.pgp"
  cat /usr/share/keyrings/debian-{keyring,maintainers,nonupload,role-keys}.gpg > "$keyring" ||
    die "Debian's keyrings are missing (scripts/bootstrap.sh installs debian-keyring)"
fi
size_mb=$(( $(stat -c %s "$keyring") / 1048576 ))

# run_one NAME HOME COMMAND...: one timed run into a fresh HOME; prints "ms kb".
run_one() {
  local home=$2; shift 2
  rm -rf "$home"; mkdir -m 700 "$home"
  local t0 t1
  t0=$(date +%s%N)
  "$gnutime" -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || true
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(tail -n1 "$work/rss")"
}

# median_of REPS NAME HOME COMMAND...: prints "median_ms max_kb".
median_of() {
  local n=$1 name=$2; shift 2
  local times=() rss=0 i out
  for ((i = 0; i < n; i++)); do
    out=$(run_one "$name" "$@")
    times+=("${out% *}")
    (( ${out#* } > rss )) && rss=${out#* }
    note "$name run $((i + 1)): ${out% *} ms, ${out#* } KB"
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p")
  echo "$med $rss"
}

p=$(median_of "$reps" pgpkit "$work/p" "$pgpkit" import --home "$work/p" -q "$keyring")
p_count=$(sqlite3 "$work/p/keys.db" "SELECT count(*) FROM certs" 2>/dev/null || echo "?")
r=$(median_of "$reps" rnp "$work/r" rnpkeys --homedir "$work/r" --import "$keyring")
# shellcheck disable=SC2086
g=$(median_of "$gpg_reps" gpg "$work/g" gpg --homedir "$work/g" --batch ${GPG_OPTS:-} --import "$keyring")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }'; }
{
  echo "| tool | wall (ms, median) | peak RSS (KB) | pgpkit is faster by |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| pgpkit import | ${p% *} | ${p#* } | 1.0x |"
  echo "| rnpkeys --import | ${r% *} | ${r#* } | $(ratio "${p% *}" "${r% *}")x (target 5x) |"
  echo "| gpg --import | ${g% *} | ${g#* } | $(ratio "${p% *}" "${g% *}")x (target 20x) |"
  echo
  echo "Input: $keyring ($size_mb MB; pgpkit stored $p_count certificates); pgpkit and rnp: median of $reps runs, gpg: $gpg_reps."
} | tee "$outdir/compare_import.md"
