#!/usr/bin/env bash
# Side-by-side key generation benchmark (issue 4): pgpkit gen-key (--jobs 1 and 2) against
# gpg --batch --gen-key and rnpkeys. One key per process run; the median wall-clock seconds
# per key is reported. Not a test: run it by hand and quote the numbers.
#
#   bench/compare_keygen.sh [path/to/pgpkit]      (also: env PGPKIT_BIN)
#   N=20 N_OTHER=20 N_RNP_ELG=3 BLOCKS=20 bench/compare_keygen.sh
#       N: keys per RSA size (default 20: the issue's median over at least 20 keys),
#       N_OTHER: keys for Ed25519/Cv25519 and DSA+ELG (default 20: their times spread widely),
#       BLOCKS: blocks in the --jobs 1 vs --jobs 2 parameter file (default 20).
#       N_RNP_ELG: rnpkeys DSA+ELG keys (default 3; rnp's ElGamal takes up to minutes a key).
#   N=2 N_OTHER=1 BLOCKS=4 bench/compare_keygen.sh   smoke run (checks the script, numbers meaningless)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pgpkit=${1:-${PGPKIT_BIN:-$here/../build/pgpkit}}
n_rsa=${N:-20}
n_other=${N_OTHER:-20}
n_blocks=${BLOCKS:-20}
n_rnp_elg=${N_RNP_ELG:-3}
for tool in gpg gpgconf rnpkeys; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/bootstrap.sh" >&2; exit 2; }
done
[ -x "$pgpkit" ] || { echo "pgpkit binary not found: $pgpkit" >&2; exit 2; }

work=$(mktemp -d)
trap 'gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 700 "$work/gnupg"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# params ALGO -> one GnuPG parameter block (no protection, no agent prompts)
params() {
    local name=$1
    case $1 in
    rsa3072) printf 'Key-Type: RSA\nKey-Length: 3072\nSubkey-Type: RSA\nSubkey-Length: 3072\n' ;;
    rsa4096) printf 'Key-Type: RSA\nKey-Length: 4096\nSubkey-Type: RSA\nSubkey-Length: 4096\n' ;;
    ed25519) printf 'Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n' ;;
    dsa-elg) printf 'Key-Type: DSA\nKey-Length: 2048\nSubkey-Type: ELG-E\nSubkey-Length: 2048\n' ;;
    esac
    printf 'Name-Real: bench %s\nName-Email: bench@example.org\nExpire-Date: 0\n%%no-protection\n%%commit\n' "$name"
}

# rnpkeys arguments for ALGO (expert-mode answers on stdin where needed)
rnp_gen() {
    local home=$1 algo=$2
    case $algo in
    rsa3072) rnpkeys --homedir "$home" --generate-key --numbits 3072 --userid "bench $algo" --password= ;;
    rsa4096) rnpkeys --homedir "$home" --generate-key --numbits 4096 --userid "bench $algo" --password= ;;
    ed25519) printf '22\n' | rnpkeys --homedir "$home" --generate-key --expert --userid "bench $algo" --password= ;;
    dsa-elg) printf '16\n2048\n' | rnpkeys --homedir "$home" --generate-key --expert --userid "bench $algo" --password= ;;
    esac
}

time_one() {  # time_one TOOL ALGO -> seconds
    local tool=$1 algo=$2 t0 t1
    params "$algo" >"$work/p.param"
    t0=$(now)
    case $tool in
    pgpkit) "$pgpkit" gen-key --batch "$work/p.param" --output "$work/out.pgp" 2>/dev/null ;;
    gpg) gpg --homedir "$work/gnupg" --batch --quiet --pinentry-mode loopback --passphrase '' \
             --gen-key "$work/p.param" 2>/dev/null ;;
    rnpkeys) rm -rf "$work/rnp"; mkdir -p "$work/rnp"; rnp_gen "$work/rnp" "$algo" >/dev/null 2>&1 ;;
    esac || { echo "$tool failed to generate $algo" >&2; exit 1; }
    t1=$(now)
    echo "$t1 - $t0" | bc -l
}

echo "pgpkit: $pgpkit; $(gpg --version | head -1); $(rnp --version 2>&1 | head -1); $(nproc) CPUs; $(date -u +%FT%TZ)"
printf '%-10s %10s %10s %10s   (median seconds per key, %s RSA / %s other runs)\n' \
    algorithm pgpkit gpg rnpkeys "$n_rsa" "$n_other"
for algo in rsa3072 rsa4096 ed25519 dsa-elg; do
    reps=$n_other
    case $algo in rsa*) reps=$n_rsa ;; esac
    row=()
    for tool in pgpkit gpg rnpkeys; do
        n=$reps
        [ "$tool/$algo" = rnpkeys/dsa-elg ] && n=$n_rnp_elg
        row+=("$(for _ in $(seq "$n"); do time_one "$tool" "$algo"; done | median)")
    done
    printf '%-10s %10.3f %10.3f %10.3f\n' "$algo" "${row[@]}"
done

# A BLOCKS-block file: pgpkit --jobs 1 vs --jobs 2 vs gpg (one run each). Both pgpkit runs
# use the same --seed, so they generate the same keys and do the same prime searches: the
# ratio measures the parallelism, not the luck of two different random prime searches.
: >"$work/twenty.param"
for i in $(seq "$n_blocks"); do
    case $((i % 4)) in
    0) params rsa3072 ;; 1) params ed25519 ;; 2) params rsa3072 ;; 3) params ed25519 ;;
    esac >>"$work/twenty.param"
done
seed=$(date +%s%N | sha256sum | cut -c1-64)
t0=$(now); "$pgpkit" gen-key --batch "$work/twenty.param" --seed "$seed" --jobs 1 --output "$work/j1.pgp" 2>/dev/null; t1=$(now)
j1=$(echo "$t1 - $t0" | bc -l)
t0=$(now); "$pgpkit" gen-key --batch "$work/twenty.param" --seed "$seed" --jobs 2 --output "$work/j2.pgp" 2>/dev/null; t1=$(now)
j2=$(echo "$t1 - $t0" | bc -l)
t0=$(now); gpg --homedir "$work/gnupg" --batch --quiet --pinentry-mode loopback --passphrase '' \
    --gen-key "$work/twenty.param" 2>/dev/null; t1=$(now)
g=$(echo "$t1 - $t0" | bc -l)
# Both runs must have made every block (a failed block would fake a speed-up).
for f in j1 j2; do
    made=$("$pgpkit" dump "$work/$f.pgp" 2>/dev/null | grep -c ':secret key packet' || true)
    [ "$made" -eq "$n_blocks" ] || { echo "--jobs run $f made $made of $n_blocks keys" >&2; exit 1; }
done
printf '\n%s-key file (RSA-3072 and Ed25519 blocks alternating): pgpkit --jobs 1 %.2fs, --jobs 2 %.2fs (speed-up %.2fx), gpg %.2fs\n' \
    "$n_blocks" "$j1" "$j2" "$(echo "$j1 / $j2" | bc -l)" "$g"
