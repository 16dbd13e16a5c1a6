#!/usr/bin/env bash
# Layering check (HOUSE-STYLE rule 1 and 2), a grep over #include lines:
#  - a layer includes headers of its own layer and of layers below it only
#    (DESIGN.md order: base crypto packet armor cert keygen keyring trust message keyserver cli);
#  - a header under <layer>/internal/ is included only from the same layer;
#  - <botan/...> is included from crypto/ only.
# Usage: scripts/check-layering.sh [ROOT]   (default: the repository). Exit 1 on a violation.
set -euo pipefail
root=${1:-"$(dirname "$0")/.."}
cd "$root"

layers=(base crypto packet armor cert keygen keyring trust message keyserver cli)
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done

include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*(["<])([^">]+)[">]'
bad=0
report() {
    echo "check-layering: $1" >&2
    bad=1
}

for layer in "${layers[@]}"; do
    [ -d "$layer" ] || continue
    while IFS= read -r -d '' file; do
        n=0
        while IFS= read -r line; do
            n=$((n + 1))
            [[ $line =~ $include_re ]] || continue
            kind=${BASH_REMATCH[1]} path=${BASH_REMATCH[2]}
            if [ "$kind" = "<" ]; then
                if [[ $path == botan/* && $layer != crypto ]]; then
                    report "$file:$n: <$path>: only crypto/ includes Botan"
                fi
                continue
            fi
            target=${path%%/*}
            [ "$target" != "$path" ] || { report "$file:$n: \"$path\": include from the repository root (\"layer/file.h\")"; continue; }
            [ -n "${rank[$target]+x}" ] || continue  # not a layer (e.g. a generated file)
            if [ "${rank[$target]}" -gt "${rank[$layer]}" ]; then
                report "$file:$n: \"$path\": $layer/ may not include the higher layer $target/"
            fi
            if [[ $path == */internal/* && $target != "$layer" ]]; then
                report "$file:$n: \"$path\": internal header of $target/ included from $layer/"
            fi
        done < "$file"
    done < <(find "$layer" -type f \( -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)
done

if [ "$bad" -ne 0 ]; then
    exit 1
fi
echo "check-layering: ok"
