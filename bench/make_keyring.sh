#!/usr/bin/env bash
# Builds the benchmark keyring for bench/compare_dump.sh: a binary OpenPGP keyring of
# real certificates with many third-party certifications, taken from the Debian
# package `debian-keyring`, of at least MIN_MB megabytes and MIN_CERTS certificates.
#
# usage: bench/make_keyring.sh [OUTPUT]        (default: bench/out/keyring.pgp)
#   env MIN_MB     minimum size in MB (10^6 bytes), default 20
#   env MIN_CERTS  minimum number of certificates (public-key packets), default 3000
#
# The source keyrings (each a concatenation of transferable public keys) are
# concatenated in a fixed order into one "round"; the round is repeated until both
# minimums are met. One round of debian-keyring 2022.12.24 is 31.9 MB but only 1178
# certificates (about 27 KB each, mostly certifications), so the defaults give
# 3 rounds. The output is byte-for-byte deterministic for a given debian-keyring
# version. The script checks that gpg and pgpdump parse the result, then prints size,
# packet counts and SHA-256.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-"$here/out/keyring.pgp"}
min_mb=${MIN_MB:-20}
min_certs=${MIN_CERTS:-3000}
min_bytes=$((min_mb * 1000000))

keyrings=/usr/share/keyrings
# Fixed order; every file ships in Debian 12's debian-keyring package.
sources=(
  debian-keyring.gpg
  debian-maintainers.gpg
  debian-nonupload.gpg
  debian-role-keys.gpg
)

die() { echo "make_keyring: $*" >&2; exit 2; }

for s in "${sources[@]}"; do
  [ -r "$keyrings/$s" ] ||
    die "missing $keyrings/$s: install the debian-keyring package (run scripts/bootstrap.sh)"
done
command -v gpg >/dev/null ||
  die "gpg not found (needed to check the keyring): run scripts/bootstrap.sh"

mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -rf "$work"; rm -f "$tmp"' EXIT
mkdir -m 700 "$work/gnupg"

# gpg --list-packets prints one ":<type> packet:" line per packet. Writes counts
# "certs subkeys uids sigs" of FILE to stdout; warns if gpg exits non-zero.
count_packets() {
  local file=$1 listing="$work/listing" errs="$work/gpg.err"
  if ! gpg --homedir "$work/gnupg" --batch --no-options --list-packets "$file" \
    >"$listing" 2>"$errs"; then
    echo "make_keyring: warning: gpg --list-packets exited non-zero on $file:" >&2
    grep -v 'keybox .* created' "$errs" | sort | uniq -c | sort -rn | head -5 >&2
  fi
  local c s u g
  c=$(grep -c '^:public key packet:' "$listing" || true)
  s=$(grep -c '^:public sub key packet:' "$listing" || true)
  u=$(grep -c '^:user ID packet:' "$listing" || true)
  g=$(grep -c '^:signature packet:' "$listing" || true)
  echo "$c $s $u $g"
}

# One round, and how many rounds the minimums need.
round="$work/round.pgp"
for s in "${sources[@]}"; do
  cat "$keyrings/$s"
done >"$round"
round_bytes=$(stat -c %s "$round")
read -r round_certs _ <<<"$(count_packets "$round")"
[ "$round_certs" -gt 0 ] || die "gpg found no public-key packet in the source keyrings"
rounds=$(( (min_bytes + round_bytes - 1) / round_bytes ))
by_certs=$(( (min_certs + round_certs - 1) / round_certs ))
[ "$by_certs" -le "$rounds" ] || rounds=$by_certs
[ "$rounds" -ge 1 ] || rounds=1

: >"$tmp"
for _ in $(seq "$rounds"); do
  cat "$round" >>"$tmp"
done
size=$(stat -c %s "$tmp")

# Check that the result parses, and count what is in it.
read -r certs subkeys uids sigs <<<"$(count_packets "$tmp")"
[ "$certs" -eq $((rounds * round_certs)) ] ||
  die "gpg counts $certs certificates, expected $((rounds * round_certs))"
if command -v pgpdump >/dev/null; then
  pgpdump "$tmp" >/dev/null 2>&1 || echo "make_keyring: warning: pgpdump exited non-zero" >&2
fi

mv "$tmp" "$out"
sum=$(sha256sum "$out" | cut -d' ' -f1)
pkgver=$(dpkg-query -W -f='${Version}' debian-keyring 2>/dev/null || echo unknown)

printf 'keyring:      %s\n' "$out"
printf 'source:       debian-keyring %s: %s\n' "$pkgver" "${sources[*]}"
printf 'rounds:       %d x %d bytes, %d certificates\n' "$rounds" "$round_bytes" "$round_certs"
printf 'size:         %d bytes (%s MB)\n' "$size" "$(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }')"
printf 'certificates: %d (public-key packets); %d subkeys, %d user IDs, %d signatures\n' \
  "$certs" "$subkeys" "$uids" "$sigs"
printf 'sha256:       %s\n' "$sum"
