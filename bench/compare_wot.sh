#!/usr/bin/env bash
# Side-by-side timing of full web-of-trust validity: gpg --check-trustdb against
# trust::compute_validity (build/wot_bench) on the same keys and ownertrust (issue 11).
# The keyring (env KEYRING, default Debian's debian-keyring.gpg) is imported into a gpg
# home first (untimed); wot_bench picks the ultimate key (the most prolific certifier)
# and gives every other key full ownertrust, and gpg gets the same ownertrust.
#
# usage: bench/compare_wot.sh [BUILD_DIR]     env REPS (default 3), KEEP_HOME (dir to reuse)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-"$here/../build"}
reps=${REPS:-3}
export KEYRING=${KEYRING:-/usr/share/keyrings/debian-keyring.gpg}
bench="$build/bench/wot_bench"
[ -x "$bench" ] || { echo "compare_wot: build $bench first (ninja wot_bench)" >&2; exit 2; }
command -v gpg >/dev/null || { echo "compare_wot: gpg is needed" >&2; exit 2; }
mkdir -p "$here/out"
home=${KEEP_HOME:-$(mktemp -d)}
g="gpg --homedir $home --batch --no-tty --no-options --yes"
if [ ! -f "$home/imported" ]; then
  chmod 700 "$home"
  $g --import-options import-local-sigs --import "$KEYRING" 2>/dev/null || true
  "$bench" --write-ownertrust "$home/ownertrust.txt"
  $g --import-ownertrust "$home/ownertrust.txt" 2>/dev/null
  touch "$home/imported"
fi
best=999999
for _ in $(seq "$reps"); do
  start=$(date +%s.%N)
  $g --check-trustdb 2>"$here/out/compare_wot.gpg.log"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  best=$(echo "if ($t < $best) $t else $best" | bc)
done
echo "gpg --check-trustdb: best of $reps: ${best}s"
grep depth "$here/out/compare_wot.gpg.log" | tail -n 3
"$bench" --benchmark_format=console | tee "$here/out/compare_wot.pgpkit.txt"
ms=$(awk '/BM_ComputeValidity\/1/{print $2; exit}' "$here/out/compare_wot.pgpkit.txt")
echo "ratio pgpkit(jobs 1)/gpg: $(echo "scale=3; $ms / 1000 / $best" | bc)"
[ -n "${KEEP_HOME:-}" ] || { gpgconf --homedir "$home" --kill all; rm -rf "$home"; }
