#!/usr/bin/env bash
# Side-by-side timing of `pgpkit dump` against the peers that list OpenPGP packets:
# gpg --list-packets, sq packet dump, pgpdump, rnp --list-packets.
#
# usage: bench/compare_dump.sh [PGPKIT_BIN]
#   PGPKIT_BIN  pgpkit executable (argument, else env PGPKIT_BIN, else build/pgpkit
#               from: cmake -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build)
#   env REPS        timed repetitions per command, median reported (default 3)
#   env KEYRING     input keyring (default bench/out/keyring.pgp, built by
#                   bench/make_keyring.sh if missing)
#   env TIMER       hyperfine | loop   (default: hyperfine if installed, else loop)
#   env TARGET      required speed-up of `pgpkit dump` over the fastest peer (default 5)
#
# Every command runs with stdout to /dev/null. Before timing, each command runs once
# (this also warms the page cache) to record its exit status, stdout size, stderr line
# count and peak RSS (GNU time, if /usr/bin/time exists). Prints a markdown table,
# also written to bench/out/compare_dump.md; hyperfine's JSON goes to bench/out/.
# Exit status: 0 if the run completed (whether or not the target is met), 2 on setup
# errors (missing pgpkit or peer, pgpkit failing on the keyring).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
outdir="$here/out"
reps=${REPS:-3}
keyring=${KEYRING:-"$outdir/keyring.pgp"}
target=${TARGET:-5}

die() { echo "compare_dump: error: $*" >&2; exit 2; }
note() { echo "compare_dump: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer, got '$reps'"

# --- pgpkit --------------------------------------------------------------------
pgpkit=${1:-${PGPKIT_BIN:-"$repo/build/pgpkit"}}
if [[ "$pgpkit" != */* ]]; then
  resolved=$(command -v "$pgpkit" || true)
  [ -n "$resolved" ] || die "pgpkit binary '$pgpkit' not found in PATH"
  pgpkit=$resolved
fi
if [ ! -x "$pgpkit" ] || [ -d "$pgpkit" ]; then
  die "pgpkit binary not found at $pgpkit
  build it first:  cmake -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
  or pass its path: bench/compare_dump.sh /path/to/pgpkit"
fi
cache="$(dirname "$pgpkit")/CMakeCache.txt"
if [ -f "$cache" ]; then
  btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
  [ "$btype" = Release ] ||
    note "warning: $pgpkit is a '${btype:-no build type}' build, not Release; timings are not representative"
fi

# --- peers ---------------------------------------------------------------------
require_peers "gnupg sq pgpdump rnp" gpg sq pgpdump rnp
pick_timer
find_gnutime

# --- keyring -------------------------------------------------------------------
if [ ! -s "$keyring" ]; then
  note "keyring $keyring missing: building it with bench/make_keyring.sh"
  "$here/make_keyring.sh" "$keyring" >&2
fi
size=$(stat -c %s "$keyring")
mb=$(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }')

mkdir -p "$outdir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/gnupg" "$work/rnp"

# --- the commands --------------------------------------------------------------
# name | shown in the table | command line (bash, quoted)
q() { printf '%q' "$1"; }
names=(pgpkit pgpkit-json gpg sq pgpdump rnp)
shown=(
  "pgpkit dump FILE"
  "pgpkit dump --json FILE"
  "gpg --batch --no-options --homedir TMP --list-packets FILE"
  "sq packet dump FILE"
  "pgpdump FILE"
  "rnp --homedir TMP --list-packets FILE"
)
cmds=(
  "$(q "$pgpkit") dump $(q "$keyring")"
  "$(q "$pgpkit") dump --json $(q "$keyring")"
  "gpg --batch --no-options --homedir $(q "$work/gnupg") --list-packets $(q "$keyring")"
  "sq packet dump $(q "$keyring")"
  "pgpdump $(q "$keyring")"
  "rnp --homedir $(q "$work/rnp") --list-packets $(q "$keyring")"
)
peers_from=2   # index of the first peer in the arrays above

median_of() { # numbers on stdin -> median
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]
    else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -a med rss status outmb errlines
for i in "${!names[@]}"; do
  name=${names[$i]} cmd=${cmds[$i]}
  note "running $name: ${shown[$i]}"

  # Probe run: exit status, stdout size, stderr lines, peak RSS.
  prefix=""
  [ -z "$gnutime" ] || prefix="$gnutime -f %M -o $(q "$work/rss") "
  set +e
  eval "$prefix$cmd" 2>"$work/err" | wc -c >"$work/bytes"
  rc=${PIPESTATUS[0]}
  set -e
  # GNU time notes a non-zero exit on the -o file's first line; the RSS is the last.
  if [ -n "$gnutime" ] && [ -s "$work/rss" ]; then
    rss[i]=$(awk -v k="$(tail -n1 "$work/rss")" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    rss[i]=n/a
  fi
  status[i]=$rc
  outmb[i]=$(awk -v b="$(cat "$work/bytes")" 'BEGIN { printf "%.1f", b / 1e6 }')
  # Not counted: blank lines, sq's CLI-stability warning, gpg's first-run keybox note.
  errlines[i]=$(grep -cv -e '^$' -e 'WARNING: sq does not have a stable CLI' \
    -e '^gpg: keybox .* created' "$work/err" || true)
  if [ "$rc" -ne 0 ]; then
    note "$name exited $rc; first stderr lines:"
    head -n 5 "$work/err" >&2
    [ "$i" -ge "$peers_from" ] ||
      die "pgpkit failed on $keyring (exit $rc); its timing would be meaningless"
  fi

  # Timed runs.
  if [ "$timer" = hyperfine ]; then
    ignore=()
    [ "$i" -lt "$peers_from" ] || ignore=(--ignore-failure)
    hyperfine --shell=bash --style basic --runs "$reps" "${ignore[@]}" \
      --command-name "$name" \
      --export-json "$outdir/hyperfine-$name.json" \
      --export-csv "$work/$name.csv" \
      "$cmd" >"$work/hyperfine.log" 2>&1 ||
      { cat "$work/hyperfine.log" >&2; die "hyperfine failed on $name"; }
    med[i]=$(awk -F, 'NR == 1 { for (c = 1; c <= NF; c++) if ($c == "median") m = c; next }
                       { printf "%.6f\n", $m }' "$work/$name.csv")
  else
    for _ in $(seq "$reps"); do
      t0=$(date +%s.%N)
      eval "$cmd" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
    done >"$work/times"
    med[i]=$(median_of <"$work/times")
  fi
done

# --- report --------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbps() { awk -v s="$size" -v t="$1" 'BEGIN { printf "%.1f", s / 1e6 / t }'; }

fastest=$peers_from
for ((i = peers_from; i < ${#names[@]}; i++)); do
  if awk -v a="${med[$i]}" -v b="${med[$fastest]}" 'BEGIN { exit !(a < b) }'; then fastest=$i; fi
done
t_pgpkit=${med[0]}
speedup=$(ratio "${med[$fastest]}" "$t_pgpkit")
speedup_json=$(ratio "${med[$fastest]}" "${med[1]}")
if awk -v s="$speedup" -v t="$target" 'BEGIN { exit !(s >= t) }'; then
  verdict="MET"
else
  verdict="NOT MET"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
ver() { "$@" 2>&1 | head -n1 || true; }
{
  echo "## pgpkit dump vs peers — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
  echo "- FILE: $keyring, $size bytes ($mb MB), sha256 $(sha256sum "$keyring" | cut -c1-16)…"
  echo "- timing: $timer, median of $reps run(s), stdout to /dev/null; RSS and exit from one extra run"
  echo "- pgpkit: $pgpkit"
  echo "- peers: $(ver gpg --version), $(ver sq --version), $(ver pgpdump -v | cut -d, -f1), $(ver rnp --version)"
  echo
  echo "| tool | command | median s | MB/s | pgpkit speed-up vs this tool | peak RSS MB | exit | stdout MB | stderr lines |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2016  # the backquotes are markdown
    printf '| %s | `%s` | %.3f | %s | %sx | %s | %s | %s | %s |\n' \
      "${names[$i]}" "${shown[$i]}" "${med[$i]}" "$(mbps "${med[$i]}")" \
      "$(ratio "${med[$i]}" "$t_pgpkit")" "${rss[$i]}" "${status[$i]}" \
      "${outmb[$i]}" "${errlines[$i]}"
  done
  echo
  printf -- '- fastest peer: %s (%.3f s, %s MB/s)\n' "${names[$fastest]}" "${med[$fastest]}" "$(mbps "${med[$fastest]}")"
  echo "- pgpkit dump speed-up over the fastest peer: ${speedup}x (target >= ${target}x: $verdict)"
  echo "- pgpkit dump --json speed-up over the fastest peer: ${speedup_json}x"
  for i in "${!names[@]}"; do
    [ "${status[$i]}" -eq 0 ] || echo "- note: ${names[$i]} exited ${status[$i]} on FILE (timed anyway)"
  done
} | tee "$outdir/compare_dump.md"
