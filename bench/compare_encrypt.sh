#!/usr/bin/env bash
# Side-by-side encryption and decryption: pgpkit vs gpg on one payload (200 MB of random
# octets by default) to one Cv25519 key, with the default compression (from the key's
# preferences) and with -z 0, in one run. Reports seconds, MB/s, the ratio gpg/pgpkit and
# the peak RSS of each command (GNU time), which shows that pgpkit streams in constant memory.
#
#   bench/compare_encrypt.sh [PGPKIT_BINARY] [SIZE_MB]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
pgpkit=${1:-$here/build/pgpkit}
size_mb=${2:-200}
note() { echo "compare_encrypt: $*" >&2; }
die() { note "$*"; exit 2; }
source "$here/bench/lib.sh"
[[ -x $pgpkit ]] || die "pgpkit binary not found; pass it as the first argument"
require_peers "gnupg time" gpg
find_gnutime
[[ -n $gnutime ]] || die "GNU time is needed for the peak RSS column (Debian package 'time')"

work=$(mktemp -d /tmp/compare_encrypt.XXXXXX)
trap 'gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 700 "$work/gnupg"
g="gpg --homedir $work/gnupg --batch --no-tty --pinentry-mode loopback --passphrase '' --trust-model always --yes"
eval "$g --quick-gen-key 'Bench <bench@encrypt.test>' ed25519 cert never" 2>/dev/null
fpr=$(eval "$g --list-keys --with-colons" | awk -F: '/^fpr/{print $10; exit}')
eval "$g --quick-add-key $fpr cv25519 encr never" 2>/dev/null
eval "$g --export-secret-keys" > "$work/secret.gpg"
"$pgpkit" import --home "$work/pgpkit" "$work/secret.gpg" 2>/dev/null

payload=$work/payload.bin
head -c $((size_mb * 1000000)) /dev/urandom > "$payload"
bytes=$(stat -c %s "$payload")
echo "payload: $bytes octets of random data; $(nproc) cores; $(gpg --version | head -1)"

# run NAME CMD: one timed run; prints seconds and peak RSS (KiB) into $work/NAME.t
run() {
    "$gnutime" -f "%e %M" -o "$work/$1.t" bash -c "$2"
}
row() {
    local what=$1 p g ratio
    read -r p prss < "$work/$what-pgpkit.t"
    read -r g grss < "$work/$what-gpg.t"
    ratio=$(awk -v a="$g" -v b="$p" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
    printf "%-22s pgpkit %6.2f s %7.1f MB/s %7d KiB | gpg %6.2f s %7.1f MB/s %7d KiB | gpg/pgpkit %s\n" \
        "$what" "$p" "$(awk -v s="$p" -v n="$bytes" 'BEGIN{print n / 1e6 / s}')" "$prss" \
        "$g" "$(awk -v s="$g" -v n="$bytes" 'BEGIN{print n / 1e6 / s}')" "$grss" "$ratio"
}

for z in default 0; do
    zopt=""; [[ $z == 0 ]] && zopt="-z 0"
    run "encrypt-z$z-pgpkit" "$pgpkit encrypt --home $work/pgpkit -r bench@encrypt.test $zopt -o $work/p.gpg $payload"
    run "encrypt-z$z-gpg" "$g -r bench@encrypt.test $zopt -o $work/g.gpg -e $payload"
    run "decrypt-z$z-pgpkit" "$pgpkit decrypt --home $work/pgpkit -o $work/p.out $work/g.gpg"
    run "decrypt-z$z-gpg" "$g -o $work/g.out -d $work/g.gpg 2>/dev/null"
    cmp "$work/p.out" "$payload" && cmp "$work/g.out" "$payload"
    eval "$g -d $work/p.gpg 2>/dev/null" | cmp - "$payload"  # gpg reads pgpkit's output too
    rm -f "$work/p.out" "$work/g.out"
    row "encrypt-z$z"
    row "decrypt-z$z"
done
