#!/usr/bin/env bash
# Side-by-side timing of `pgpkit check-sigs` against the peers that verify every
# signature of a keyring: gpg --check-sigs and rnpkeys --list-keys --with-sigs, on the
# same keys already imported into their homes (the import is done first, untimed).
#
# usage: bench/compare_checksigs.sh [PGPKIT_BIN]
#   PGPKIT_BIN  pgpkit executable (argument, else env PGPKIT_BIN, else build/pgpkit)
#   env REPS        timed repetitions of each pgpkit command, median reported (default 3)
#   env PEER_REPS   timed repetitions of each peer (default REPS; gpg takes minutes)
#   env KEYRING     input keyring (default bench/out/debian-round.pgp: the four Debian
#                   keyrings once each, built with MIN_CERTS=0 bench/make_keyring.sh)
#   env TIMER       hyperfine | loop   (default: hyperfine if installed, else loop)
#   env TARGET      required speed-up of `pgpkit check-sigs --jobs 1` over gpg (default 10)
#   env KEEP_HOMES  directory to keep (and reuse) the imported gpg/rnp homes in;
#                   default: a temp dir removed at exit
#
# Every command runs with stdout to /dev/null. Before timing, each command runs once to
# record its exit status, stdout size, signature lines and peak RSS (GNU time). Prints
# a markdown table, also written to bench/out/compare_checksigs.md.
# Exit status: 0 if the run completed (whether or not the target is met), 2 on setup
# errors (missing pgpkit or peer, pgpkit failing on the keyring).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
outdir="$here/out"
reps=${REPS:-3}
peer_reps=${PEER_REPS:-$reps}
keyring=${KEYRING:-"$outdir/debian-round.pgp"}
target=${TARGET:-10}

die() { echo "compare_checksigs: error: $*" >&2; exit 2; }
note() { echo "compare_checksigs: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer, got '$reps'"
[[ "$peer_reps" =~ ^[1-9][0-9]*$ ]] || die "PEER_REPS must be a positive integer, got '$peer_reps'"

# --- pgpkit --------------------------------------------------------------------
pgpkit=${1:-${PGPKIT_BIN:-"$repo/build/pgpkit"}}
if [[ "$pgpkit" != */* ]]; then
  resolved=$(command -v "$pgpkit" || true)
  [ -n "$resolved" ] || die "pgpkit binary '$pgpkit' not found in PATH"
  pgpkit=$resolved
fi
if [ ! -x "$pgpkit" ] || [ -d "$pgpkit" ]; then
  die "pgpkit binary not found at $pgpkit
  build it first:  cmake -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build"
fi
cache="$(dirname "$pgpkit")/CMakeCache.txt"
if [ -f "$cache" ]; then
  btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
  [ "$btype" = Release ] ||
    note "warning: $pgpkit is a '${btype:-no build type}' build, not Release; timings are not representative"
fi

# --- peers ---------------------------------------------------------------------
require_peers "gnupg rnp" gpg gpgconf rnpkeys
pick_timer
find_gnutime

# --- keyring -------------------------------------------------------------------
mkdir -p "$outdir"
if [ ! -s "$keyring" ]; then
  note "keyring $keyring missing: building it with MIN_CERTS=0 bench/make_keyring.sh (one round)"
  MIN_CERTS=0 "$here/make_keyring.sh" "$keyring" >&2
fi
size=$(stat -c %s "$keyring")
mb=$(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }')
sha=$(sha256sum "$keyring" | cut -c1-16)

work=$(mktemp -d)
trap 'gpgconf --homedir "$homes/gnupg" --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
homes=${KEEP_HOMES:-"$work"}
mkdir -p "$homes"
q() { printf '%q' "$1"; }
gpg_home=(gpg --homedir "$homes/gnupg" --batch --no-tty --no-options --trust-model always)

# --- untimed imports (reused when KEEP_HOMES holds a home made from the same file) ----
import_secs() { # name, command... -> seconds on stdout
  local t0 t1
  t0=$(date +%s.%N)
  "${@:2}" >"$work/import-$1.log" 2>&1 || note "$1 import exited $? (kept what it imported)"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
gpg_import=reused rnp_import=reused
if [ "$(cat "$homes/gnupg.sha" 2>/dev/null)" != "$sha" ]; then
  rm -rf "$homes/gnupg"
  mkdir -m 700 "$homes/gnupg"
  note "importing into gpg (untimed for the table; takes minutes for the Debian keyring)"
  gpg_import=$(import_secs gpg "${gpg_home[@]}" --import-options import-local-sigs --import "$keyring")
  echo "$sha" >"$homes/gnupg.sha"
fi
if [ "$(cat "$homes/rnp.sha" 2>/dev/null)" != "$sha" ]; then
  rm -rf "$homes/rnp"
  mkdir -m 700 "$homes/rnp"
  note "importing into rnp"
  rnp_import=$(import_secs rnp rnpkeys --homedir "$homes/rnp" --import "$keyring")
  echo "$sha" >"$homes/rnp.sha"
fi

# --- the commands --------------------------------------------------------------
names=(pgpkit-j1 pgpkit-j2 gpg rnp)
shown=(
  "pgpkit check-sigs --jobs 1 FILE"
  "pgpkit check-sigs --jobs 2 FILE"
  "gpg --homedir IMPORTED --batch --no-options --trust-model always --no-auto-check-trustdb --check-sigs"
  "rnpkeys --homedir IMPORTED --list-keys --with-sigs"
)
cmds=(
  "$(q "$pgpkit") check-sigs --jobs 1 $(q "$keyring")"
  "$(q "$pgpkit") check-sigs --jobs 2 $(q "$keyring")"
  "$(printf '%q ' "${gpg_home[@]}") --no-auto-check-trustdb --check-sigs"
  "rnpkeys --homedir $(q "$homes/rnp") --list-keys --with-sigs"
)
peers_from=2

median_of() { # numbers on stdin -> median
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]
    else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -a med rss status outmb siglines publines
for i in "${!names[@]}"; do
  name=${names[$i]} cmd=${cmds[$i]}
  n=$reps
  [ "$i" -lt "$peers_from" ] || n=$peer_reps
  note "running $name ($n timed run(s)): ${shown[$i]}"

  # Probe run: exit status, stdout size, signature lines, peak RSS; with TIMER=loop it
  # is also the first timed run (these commands take minutes on the Debian keyring).
  prefix=""
  [ -z "$gnutime" ] || prefix="$gnutime -f %M -o $(q "$work/rss") "
  set +e
  t0=$(date +%s.%N)
  eval "$prefix$cmd" >"$work/out" 2>"$work/err"
  rc=$?
  t1=$(date +%s.%N)
  set -e
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >"$work/times"
  if [ -n "$gnutime" ] && [ -s "$work/rss" ]; then
    rss[i]=$(awk -v k="$(tail -n1 "$work/rss")" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    rss[i]=n/a
  fi
  status[i]=$rc
  outmb[i]=$(awk -v b="$(stat -c %s "$work/out")" 'BEGIN { printf "%.1f", b / 1e6 }')
  siglines[i]=$(grep -c -E '^(sig|rev)' "$work/out" || true)
  publines[i]=$(grep -c -E '^(pub|sec) ' "$work/out" || true)
  tail -n 4 "$work/err" | sed "s/^/compare_checksigs:   $name stderr: /" >&2
  # pgpkit: 0 all good, 1 some bad signature; 2 is bad input and stops the run.
  if [ "$i" -lt "$peers_from" ] && [ "$rc" -gt 1 ]; then
    head -n 5 "$work/err" >&2
    die "pgpkit failed on $keyring (exit $rc); its timing would be meaningless"
  fi

  if [ "$timer" = hyperfine ]; then
    hyperfine --shell=bash --style basic --runs "$n" --ignore-failure \
      --command-name "$name" \
      --export-json "$outdir/hyperfine-checksigs-$name.json" \
      --export-csv "$work/$name.csv" \
      "$cmd >/dev/null 2>&1" >"$work/hyperfine.log" 2>&1 ||
      { cat "$work/hyperfine.log" >&2; die "hyperfine failed on $name"; }
    med[i]=$(awk -F, 'NR == 1 { for (c = 1; c <= NF; c++) if ($c == "median") m = c; next }
                       { printf "%.6f\n", $m }' "$work/$name.csv")
  else
    for _ in $(seq 2 "$n"); do
      t0=$(date +%s.%N)
      eval "$cmd" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
    done >>"$work/times"
    med[i]=$(median_of <"$work/times")
  fi
done

# --- report --------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
speedup=$(ratio "${med[2]}" "${med[0]}")
if awk -v s="$speedup" -v t="$target" 'BEGIN { exit !(s >= t) }'; then verdict="MET"; else verdict="NOT MET"; fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
ver() { "$@" 2>&1 | head -n1 || true; }
{
  echo "## pgpkit check-sigs vs peers — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- FILE: $keyring, $size bytes ($mb MB), sha256 $sha…"
  if [ "$timer" = loop ]; then how="the first run also gives RSS, exit and output"; else how="RSS, exit and output from one extra run"; fi
  echo "- timing: $timer, median of $reps (pgpkit) / $peer_reps (peers) run(s), wall clock, stdout to /dev/null; $how"
  echo "- untimed imports: gpg ${gpg_import} s, rnp ${rnp_import} s"
  echo "- pgpkit: $pgpkit"
  echo "- peers: $(ver gpg --version), $(ver rnp --version)"
  echo
  echo "| tool | command | median s | gpg time / this | this / pgpkit --jobs 1 | peak RSS MB | exit | stdout MB | pub lines | sig+rev lines |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2016  # the backquotes are markdown
    printf '| %s | `%s` | %.2f | %sx | %sx | %s | %s | %s | %s | %s |\n' \
      "${names[$i]}" "${shown[$i]}" "${med[$i]}" "$(ratio "${med[2]}" "${med[$i]}")" \
      "$(ratio "${med[$i]}" "${med[0]}")" "${rss[$i]}" "${status[$i]}" "${outmb[$i]}" "${publines[$i]}" "${siglines[$i]}"
  done
  echo
  echo "- pgpkit check-sigs --jobs 1 speed-up over gpg --check-sigs: ${speedup}x (target >= ${target}x: $verdict)"
  echo "- pgpkit check-sigs --jobs 2 speed-up over gpg: $(ratio "${med[2]}" "${med[1]}")x; over rnp: $(ratio "${med[3]}" "${med[1]}")x"
  echo "- pgpkit --jobs 1 / --jobs 2: $(ratio "${med[0]}" "${med[1]}")x"
} | tee "$outdir/compare_checksigs.md"
