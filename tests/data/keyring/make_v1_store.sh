#!/usr/bin/env bash
# Writes tests/data/keyring/v1-store.db: a pgpkit key store of schema version 1 (the first
# keys.db layout), as a pgpkit of that version would have left it, for the migration test
# tests/keyring/migration_test.cpp. Nothing of pgpkit is used: the tables come from the
# version-1 SQL that keyring/internal/schema.cpp keeps (kV1), the rows are written with the
# sqlite3 CLI, and the index values (fingerprints, key IDs, user IDs) come from gpg's colon
# listing of each certificate.
#
# usage: tests/data/keyring/make_v1_store.sh [OUTPUT] [SHARED_TESTDATA]
#        (defaults: tests/data/keyring/v1-store.db, ../shared/testdata beside the repo)
#
# Contents, in row order (certs.id 1..4):
#   1-3  tests/data/cert/ed25519-sha512.pgp, rsa2048-sha512.pgp, nistp256-sha256.pgp
#        (gpg-made sign-only certificates, a primary key and one user ID each)
#   4    shared/testdata/sequoia/keys/dsa2048-elgamal3072.pgp (DSA primary, ElGamal
#        subkey), with its transferable secret key dsa2048-elgamal3072-private.pgp
#        (unprotected) in the secrets table.
# Keyblocks are the files' bytes as they are (each is one binary certificate). `updated`
# is fixed (1700000000) and the journal mode is WAL, as the store sets it, so the output
# depends only on the inputs and the sqlite3 version (sqlite3 3.40.1, Debian 12, for the
# committed file).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-"$here/v1-store.db"}
shared=${2:-"$root/../shared/testdata"}

command -v sqlite3 >/dev/null || { echo "make_v1_store: sqlite3 not found (apt-get install sqlite3)" >&2; exit 2; }
command -v gpg >/dev/null || { echo "make_v1_store: gpg not found" >&2; exit 2; }

certs=("$root/tests/data/cert/ed25519-sha512.pgp" "$root/tests/data/cert/rsa2048-sha512.pgp"
       "$root/tests/data/cert/nistp256-sha256.pgp" "$shared/sequoia/keys/dsa2048-elgamal3072.pgp")
secret_of_4="$shared/sequoia/keys/dsa2048-elgamal3072-private.pgp"
for f in "${certs[@]}" "$secret_of_4"; do [[ -r $f ]] || { echo "make_v1_store: missing $f" >&2; exit 2; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/gnupg"

# Version 1's schema, exactly as keyring/internal/schema.cpp keeps it (the kV1 string).
sed -n '/kV1 = R"(/,/^)";/p' "$root/keyring/internal/schema.cpp" | sed '1d;$d' >"$work/schema.sql"
grep -q 'CREATE TABLE certs' "$work/schema.sql" || { echo "make_v1_store: kV1 not found in schema.cpp" >&2; exit 2; }

sq() { printf "'%s'" "${1//\'/\'\'}"; }  # an SQL string literal

{
  echo "PRAGMA journal_mode = WAL;"
  echo "BEGIN;"
  cat "$work/schema.sql"
  echo "PRAGMA application_id = $((0x70677073));"  # 'pgps', sql::kApplicationId
  echo "PRAGMA user_version = 1;"
  id=0
  for f in "${certs[@]}"; do
    id=$((id + 1))
    listing=$(gpg --homedir "$work/gnupg" --batch --no-options --show-keys --with-colons \
                  --fixed-list-mode --with-subkey-fingerprints "$f" 2>/dev/null)
    primary_fpr=$(awk -F: '$1 == "fpr" { print $10; exit }' <<<"$listing")
    echo "INSERT INTO certs(id, fingerprint, keyblock, updated) VALUES($id, X'$primary_fpr', readfile($(sq "$f")), 1700000000);"
    # One keys row per pub/sub record: the fingerprint is the fpr record after it; the
    # key ID as SQLite's signed 64-bit integer of its 8 octets, the short one unsigned.
    awk -F: '$1 == "pub" || $1 == "sub" { kind = $1; kid = $5 } $1 == "fpr" && kid != "" { print kind, kid, $10; kid = "" }' \
        <<<"$listing" | while read -r kind kid fpr; do
      echo "INSERT INTO keys(cert_id, fingerprint, keyid, short_keyid, is_primary) VALUES($id, X'$fpr', $((16#$kid)), $((16#${kid:8})), $([[ $kind == pub ]] && echo 1 || echo 0));"
    done
    awk -F: '$1 == "uid" { print $10 }' <<<"$listing" | while IFS= read -r uid; do
      email=""
      if [[ $uid =~ \<([^<>]*)\>$ ]]; then email=${BASH_REMATCH[1],,}; fi
      echo "INSERT INTO userids(cert_id, uid, email) VALUES($id, $(sq "$uid"), $([[ -n $email ]] && sq "$email" || echo NULL));"
    done
  done
  echo "INSERT INTO secrets(cert_id, keyblock) VALUES(4, readfile($(sq "$secret_of_4")));"
  echo "COMMIT;"
} >"$work/fill.sql"

rm -f "$out" "$out-wal" "$out-shm"
sqlite3 "$out" <"$work/fill.sql" >/dev/null
chmod 0644 "$out"
echo "make_v1_store: wrote $out ($(stat -c %s "$out") octets, sha256 $(sha256sum "$out" | cut -d' ' -f1))"
sqlite3 "$out" "PRAGMA user_version; PRAGMA integrity_check; SELECT count(*) FROM certs; SELECT count(*) FROM keys; SELECT count(*) FROM userids; SELECT count(*) FROM secrets;" | paste -sd' '
