#!/usr/bin/env bash
# Side-by-side timing of `pgpkit list-keys --with-colons` of an imported store against
# gpg's listing of the same keys in a home they were imported into (issue 10: the store's
# listing no slower than gpg's). Two pairs: plain, and with --with-sig-list. The imports
# are done first and are not timed.
#
# usage: bench/compare_listing.sh [PGPKIT_BIN]
#   PGPKIT_BIN  pgpkit executable (argument, else env PGPKIT_BIN, else build/pgpkit)
#   env KEYRING     input (default: Debian's four keyrings concatenated, ~32 MB, 1,178 certs)
#   env REPS        timed runs of each command, median and best reported (default 5)
#   env TIMER       hyperfine | loop   (default: hyperfine if installed, else loop)
#   env HOMES       folder keeping the gpg home between runs (default bench/out/listing-homes);
#                   reused when it was made from the same KEYRING (gpg's import takes ~15 min)
#   env GPG_SEED    an existing gpg home holding KEYRING's keys (e.g. /tmp/kbx-bench/home), copied
#                   instead of importing when HOMES has no gpg home yet; the listings'
#                   fingerprints are compared, so a home holding other keys is reported
#
# Every command runs with stdout to /dev/null. Before timing, each command runs once for
# its exit status, output size, record counts and peak RSS (GNU time). Prints a markdown
# table, also written to bench/out/compare_listing.md. Exit 0 when the run completed
# (whether or not the target is met), 2 on setup errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
outdir="$here/out"
reps=${REPS:-5}
homes=${HOMES:-"$outdir/listing-homes"}
die() { echo "compare_listing: error: $*" >&2; exit 2; }
note() { echo "compare_listing: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer, got '$reps'"
pgpkit=${1:-${PGPKIT_BIN:-"$repo/build/pgpkit"}}
{ [ -x "$pgpkit" ] && [ ! -d "$pgpkit" ]; } || die "pgpkit binary not found at $pgpkit (build it first)"
cache="$(dirname "$pgpkit")/CMakeCache.txt"
if [ -f "$cache" ]; then
  btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
  [ "$btype" = Release ] || note "warning: $pgpkit is a '${btype:-no build type}' build; timings are not representative"
fi
require_peers "gnupg" gpg gpgconf
pick_timer
find_gnutime

mkdir -p "$outdir" "$homes"
work=$(mktemp -d)
trap 'gpgconf --homedir "$homes/gnupg" --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
keyring=${KEYRING:-}
if [ -z "$keyring" ]; then
  keyring="$work/debian.pgp"
  cat /usr/share/keyrings/debian-{keyring,maintainers,nonupload,role-keys}.gpg >"$keyring" ||
    die "Debian's keyrings are missing (scripts/bootstrap.sh installs debian-keyring)"
fi
[ -s "$keyring" ] || die "keyring $keyring is missing or empty"
size=$(stat -c %s "$keyring")
sha=$(sha256sum "$keyring" | cut -c1-16)

# --- untimed imports -------------------------------------------------------------
secs_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(date +%s.%N)
mkdir -m 700 "$work/p"
"$pgpkit" import --home "$work/p" -q "$keyring" >"$work/import-pgpkit.log" 2>&1 ||
  note "pgpkit import exited $? (kept what it imported)"
p_import=$(secs_since "$t0")
gpg_home=(gpg --homedir "$homes/gnupg" --batch --no-tty --no-options)
g_import=reused
if [ "$(cat "$homes/gnupg.sha" 2>/dev/null)" != "$sha" ]; then
  rm -rf "$homes/gnupg" "$homes/gnupg.sha"
  if [ -n "${GPG_SEED:-}" ]; then
    [ -s "$GPG_SEED/pubring.kbx" ] || die "GPG_SEED=$GPG_SEED holds no pubring.kbx"
    note "copying the gpg home $GPG_SEED"
    mkdir -m 700 "$homes/gnupg"
    cp -p "$GPG_SEED/pubring.kbx" "$homes/gnupg/"
    [ ! -f "$GPG_SEED/trustdb.gpg" ] || cp -p "$GPG_SEED/trustdb.gpg" "$homes/gnupg/"
    g_import="copied from $GPG_SEED"
  else
    mkdir -m 700 "$homes/gnupg"
    note "importing into gpg (untimed for the table; ~15 min for the Debian keyrings)"
    t0=$(date +%s.%N)
    "${gpg_home[@]}" --import "$keyring" >"$work/import-gpg.log" 2>&1 || note "gpg import exited $?"
    g_import="$(secs_since "$t0") s"
  fi
  echo "$sha" >"$homes/gnupg.sha"
fi

# --- the commands ----------------------------------------------------------------
q() { printf '%q' "$1"; }
gq=$(printf '%q ' "${gpg_home[@]}")
names=(pgpkit gpg pgpkit-sigs gpg-sigs)
shown=(
  "pgpkit list-keys --home IMPORTED --with-colons"
  "gpg --homedir IMPORTED --batch --no-options --trust-model always --no-auto-check-trustdb --with-colons --list-keys"
  "pgpkit list-keys --home IMPORTED --with-colons --with-sig-list"
  "gpg ... --with-colons --with-sig-list --list-keys"
)
gopts="--trust-model always --no-auto-check-trustdb --with-colons"
cmds=(
  "$(q "$pgpkit") list-keys --home $(q "$work/p") --with-colons"
  "$gq $gopts --list-keys"
  "$(q "$pgpkit") list-keys --home $(q "$work/p") --with-colons --with-sig-list"
  "$gq $gopts --with-sig-list --list-keys"
)

stats_of() { # times on stdin -> "median best"
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.6f %.6f\n", m, v[1] }'
}

declare -a med best rss status outmb pubs sigs
for i in "${!names[@]}"; do
  name=${names[$i]} cmd=${cmds[$i]}
  note "running $name ($reps timed run(s)): ${shown[$i]}"
  prefix=""
  [ -z "$gnutime" ] || prefix="$gnutime -f %M -o $(q "$work/rss") "
  set +e
  eval "$prefix$cmd" >"$work/out-$name" 2>"$work/err"
  status[i]=$?
  set -e
  rss[i]=n/a
  [ -z "$gnutime" ] || rss[i]=$(awk -v k="$(tail -n1 "$work/rss")" 'BEGIN { printf "%.1f", k / 1024 }')
  outmb[i]=$(awk -v b="$(stat -c %s "$work/out-$name")" 'BEGIN { printf "%.2f", b / 1e6 }')
  pubs[i]=$(grep -c '^pub:' "$work/out-$name" || true)
  sigs[i]=$(grep -c -E '^(sig|rev):' "$work/out-$name" || true)
  tail -n 3 "$work/err" | sed "s/^/compare_listing:   $name stderr: /" >&2
  if [ "$timer" = hyperfine ]; then
    hyperfine --shell=bash --style basic --runs "$reps" --ignore-failure --command-name "$name" \
      --export-json "$work/$name.json" "$cmd >/dev/null 2>&1" >"$work/hyperfine.log" 2>&1 ||
      { cat "$work/hyperfine.log" >&2; die "hyperfine failed on $name"; }
    read -r 'med[i]' 'best[i]' < <(python3 -c 'import json,sys
t = sorted(json.load(open(sys.argv[1]))["results"][0]["times"])
n = len(t); m = t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2
print("%.6f %.6f" % (m, t[0]))' "$work/$name.json")
  else
    for _ in $(seq 1 "$reps"); do
      t0=$(date +%s.%N)
      eval "$cmd" >/dev/null 2>&1 || true
      awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.6f\n", b - a }'
    done >"$work/times"
    read -r 'med[i]' 'best[i]' < <(stats_of <"$work/times")
  fi
done

# The same certificates on both sides? (fingerprints of the primary keys)
fprs() { awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }' "$1" | sort; }
if cmp -s <(fprs "$work/out-pgpkit") <(fprs "$work/out-gpg"); then same=yes
else same="NO ($(comm -3 <(fprs "$work/out-pgpkit") <(fprs "$work/out-gpg") | wc -l) fingerprints differ)"; fi

# --- report ----------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }' && echo MET || echo "NOT MET"; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
{
  echo "## pgpkit list-keys vs gpg --list-keys — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- input: $keyring, $size bytes, sha256 $sha…; untimed imports: pgpkit $p_import s, gpg $g_import"
  echo "- timing: $timer, $reps run(s) each, wall clock, stdout to /dev/null; RSS and counts from one extra run"
  echo "- same primary fingerprints listed by pgpkit and gpg: $same"
  echo "- peer: $(gpg --version | head -n1)"
  echo
  echo "| tool | command | median s | best s | gpg median / this | peak RSS MB | exit | stdout MB | pub | sig+rev |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for i in "${!names[@]}"; do
    g=$(( i / 2 * 2 + 1 ))
    # shellcheck disable=SC2016  # the backquotes are markdown
    printf '| %s | `%s` | %.3f | %.3f | %sx | %s | %s | %s | %s | %s |\n' "${names[$i]}" "${shown[$i]}" \
      "${med[$i]}" "${best[$i]}" "$(ratio "${med[$g]}" "${med[$i]}")" "${rss[$i]}" "${status[$i]}" \
      "${outmb[$i]}" "${pubs[$i]}" "${sigs[$i]}"
  done
  echo
  echo "- plain listing: gpg / pgpkit = $(ratio "${med[1]}" "${med[0]}")x median, $(ratio "${best[1]}" "${best[0]}")x best (target >= 1: $(verdict "${med[0]}" "${med[1]}"))"
  echo "- with --with-sig-list: gpg / pgpkit = $(ratio "${med[3]}" "${med[2]}")x median, $(ratio "${best[3]}" "${best[2]}")x best (target >= 1: $(verdict "${med[2]}" "${med[3]}"))"
} | tee "$outdir/compare_listing.md"
