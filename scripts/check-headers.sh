#!/usr/bin/env bash
# Public headers name no dependency (HOUSE-STYLE rule 2): no public header of a library
# layer (every .h at the top of base/ crypto/ packet/ armor/ cert/ keygen/ keyring/ trust/
# message/ keyserver/, not under internal/) includes a header of Botan, zlib, bzip2, CLI11,
# SQLite or another dependency. That each one compiles on its own is the CMake target
# pgpkit_header_check (cmake/PgpkitHeaderCheck.cmake).
# Usage: scripts/check-headers.sh [ROOT]   (default: the repository). Exit 1 on a violation.
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"

forbidden='^[[:space:]]*#[[:space:]]*include[[:space:]]*<(botan/|zlib\.h|bzlib\.h|CLI/|sqlite3\.h|curl/|libpq-fe\.h|pqxx/|boost/|nlohmann/)'
bad=0
count=0
for layer in base crypto packet armor cert keygen keyring trust message keyserver; do
    [ -d "$layer" ] || continue
    for h in "$layer"/*.h; do
        [ -e "$h" ] || continue
        count=$((count + 1))
        if hits=$(grep -nE "$forbidden" "$h"); then
            while IFS= read -r hit; do
                echo "check-headers: $h:${hit%%:*}: public header includes a dependency: ${hit#*:}" >&2
            done <<< "$hits"
            bad=1
        fi
    done
done
if [ "$bad" -ne 0 ]; then
    exit 1
fi
echo "check-headers: ok ($count public headers)"
