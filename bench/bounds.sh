#!/usr/bin/env bash
# Resource bounds (issue 5): time and peak memory of `pgpkit dump` on each hostile
# input. Measures, does not assert: the tests (tests/cli/bounds_test.cpp) check the
# verdicts; this script shows that each one comes within a second and 64 MB.
#
# usage: bench/bounds.sh [PGPKIT_BIN]
#   PGPKIT_BIN  pgpkit executable (argument, else env PGPKIT_BIN, else build/pgpkit)
#   env MODES   dump flags to run, space-separated, "-" for none (default "-";
#               e.g. MODES="- --json --hex")
#   env TIMEOUT seconds before a run is killed and reported as a hang (default 60)
#   env TESTDATA shared test data (default ../shared/testdata beside the repository)
#
# The inputs come from tests/data/bounds/make-bounds.py (the tests' generator), plus
# the compression quines listed in shared/testdata/MANIFEST.tsv. stdout of pgpkit goes
# to a file (its size is reported); the first stderr line is the error column. Prints
# a markdown table, also written to bench/out/bounds.md. Needs GNU time (/usr/bin/time).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
outdir="$here/out"
timeout_s=${TIMEOUT:-60}
modes=${MODES:--}
testdata=${TESTDATA:-"$repo/../shared/testdata"}

die() { echo "bounds: error: $*" >&2; exit 2; }

pgpkit=${1:-${PGPKIT_BIN:-"$repo/build/pgpkit"}}
[ -x "$pgpkit" ] || die "no pgpkit executable at '$pgpkit' (build first, or pass its path)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing: apt-get install time"
[ -f "$testdata/MANIFEST.tsv" ] || die "no $testdata/MANIFEST.tsv (set TESTDATA)"
cache=$(dirname "$(dirname "$pgpkit")")/CMakeCache.txt
if [ -f "$cache" ]; then
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
  sanitize=$(sed -n 's/^PGPKIT_SANITIZE:[A-Z]*=//p' "$cache")
  echo "bounds: $pgpkit (CMAKE_BUILD_TYPE=${build_type:-?}, PGPKIT_SANITIZE=${sanitize:-OFF})" >&2
fi

mkdir -p "$outdir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$repo/tests/data/bounds/make-bounds.py" "$work/in"

inputs=()
while read -r name; do inputs+=("$work/in/$name.pgp"); done < <(python3 "$repo/tests/data/bounds/make-bounds.py" --list)
while IFS=$'\t' read -r file _ _ _ kind _; do
  case "$kind" in *quine*) [ "${file##*.}" = txt ] || inputs+=("$testdata/$file") ;; esac
done < <(tail -n +2 "$testdata/MANIFEST.tsv")

table="$outdir/bounds.md"
{
  echo "| case | mode | input octets | exit | seconds | max RSS MB | stdout octets | error line |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
} > "$table"
for f in "${inputs[@]}"; do
  name=$(basename "$f"); name=${name%.pgp}
  size=$(stat -c %s "$f")
  for mode in $modes; do
    flags=()
    [ "$mode" = - ] || flags=("$mode")
    set +e
    /usr/bin/time -f '%e %M' -o "$work/time" timeout "$timeout_s" \
      "$pgpkit" dump "${flags[@]}" "$f" > "$work/out" 2> "$work/err"
    rc=$?
    set -e
    read -r secs rss_kb < <(tail -n 1 "$work/time")
    [ "$rc" = 124 ] && err="(killed after ${timeout_s} s: hang)" || err=$(head -n 1 "$work/err")
    lines=$(wc -l < "$work/err")
    [ "$lines" -gt 1 ] && err="$err (+$((lines - 1)) more stderr lines)"
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$mode" "$size" "$rc" "$secs" "$rss_mb" \
      "$(stat -c %s "$work/out")" "${err//|/\\|}" >> "$table"
  done
done
cat "$table"
