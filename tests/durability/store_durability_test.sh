#!/usr/bin/env bash
# Durability and concurrency of the key store (issue 10): `pgpkit import` of ~1,200
# Debian certificates is killed with SIGKILL at four points; each time the store must
# pass PRAGMA integrity_check and foreign_key_check, hold every key whose IMPORT_OK was
# written before the kill, and hold each certificate whole (its keyblock equal to the
# one a complete import stores) or not at all; importing again completes it (checked
# once). Then two
# imports run into one store at the same time and both must land.
# Usage: store_durability_test.sh PGPKIT_BINARY
set -euo pipefail
pgpkit=$1
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (scripts/bootstrap.sh)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
rings=(/usr/share/keyrings/debian-keyring.gpg /usr/share/keyrings/debian-maintainers.gpg
       /usr/share/keyrings/debian-nonupload.gpg /usr/share/keyrings/debian-role-keys.gpg)
for r in "${rings[@]}"; do
    [[ -f $r ]] || { echo "FAIL: $r missing -- install debian-keyring (scripts/bootstrap.sh)"; exit 1; }
done
cat "${rings[@]}" > "$dir/all.pgp"

fail() { echo "FAIL: $*"; exit 1; }
q() { sqlite3 -batch -noheader "$1" "$2"; }

start=$(date +%s%N)
"$pgpkit" import --home "$dir/ref" -q "$dir/all.pgp"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
ref_count=$(q "$dir/ref/keys.db" "SELECT count(*) FROM certs")
(( ref_count > 1000 )) || fail "reference import stored only $ref_count certificates"
echo "reference import: $ref_count certificates in $took_ms ms"

check_store() {  # DB LABEL STATUSFILE
    local db=$1 label=$2 status=$3
    [[ $(q "$db" "PRAGMA integrity_check") == ok ]] || fail "$label: integrity_check"
    [[ -z $(q "$db" "PRAGMA foreign_key_check") ]] || fail "$label: foreign_key_check"
    local bad
    bad=$(q "$db" "ATTACH '$dir/ref/keys.db' AS ref;
                   SELECT count(*) FROM certs c LEFT JOIN ref.certs r USING(fingerprint)
                   WHERE r.keyblock IS NULL OR r.keyblock != c.keyblock")
    [[ $bad == 0 ]] || fail "$label: $bad certificates not whole"
    local missing=0 fpr
    while read -r fpr; do
        [[ $(q "$db" "SELECT count(*) FROM certs WHERE hex(fingerprint) = '$fpr'") == 1 ]] || missing=$((missing + 1))
    done < <(sed -n 's/^\[GNUPG:\] IMPORT_OK [0-9]* \([0-9A-F]*\)$/\1/p' "$status")
    (( missing == 0 )) || fail "$label: $missing keys reported IMPORT_OK are not in the store"
}

for i in 1 2 3 4; do
    home="$dir/kill$i"
    "$pgpkit" import --home "$home" -q --status-file "$dir/kill$i.status" "$dir/all.pgp" &
    pid=$!
    delay_ms=$(( took_ms * i / 5 + 20 ))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [[ -f $home/keys.db ]] || { echo "kill $i at ${delay_ms} ms: before the store was made"; continue; }
    kept=$(q "$home/keys.db" "SELECT count(*) FROM certs")
    check_store "$home/keys.db" "kill $i at ${delay_ms} ms" "$dir/kill$i.status"
    echo "kill $i at ${delay_ms} ms: $kept certificates kept, consistent"
    if (( i == 2 )); then
        "$pgpkit" import --home "$home" -q "$dir/all.pgp"
        check_store "$home/keys.db" "kill $i, imported again" /dev/null
        [[ $(q "$home/keys.db" "SELECT count(*) FROM certs") == "$ref_count" ]] || fail "kill $i: re-import incomplete"
        echo "kill $i: importing again completed the store"
    fi
done

both="$dir/both"
"$pgpkit" import --home "$both" -q "${rings[0]}" & a=$!
"$pgpkit" import --home "$both" -q "${rings[1]}" "${rings[2]}" "${rings[3]}" & b=$!
wait "$a" || fail "first of two concurrent imports failed"
wait "$b" || fail "second of two concurrent imports failed"
[[ $(q "$both/keys.db" "SELECT count(*) FROM certs") == "$ref_count" ]] || fail "concurrent imports lost certificates"
[[ $(q "$both/keys.db" "ATTACH '$dir/ref/keys.db' AS ref;
        SELECT count(*) FROM ref.certs WHERE fingerprint NOT IN (SELECT fingerprint FROM main.certs)") == 0 ]] ||
    fail "concurrent imports: certificates missing"
[[ $(q "$both/keys.db" "PRAGMA integrity_check") == ok ]] || fail "concurrent imports: integrity_check"
echo "two concurrent imports: both landed ($ref_count certificates)"
echo "PASS"
