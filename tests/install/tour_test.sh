#!/usr/bin/env bash
# Runs the README's tour (the sh block after "<!-- tour -->") line by line with a fresh
# home, from the repository root, with a local `pgpkit serve` (holding the example key)
# in place of hkps://keys.openpgp.org. Every line must exit 0.
# usage: tour_test.sh PGPKIT_BIN REPO
set -euo pipefail
bin=$1 repo=$2
fail() { echo "tour_test: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
lines=$(awk '/<!-- tour -->/ { on = 1; next } on && /^```sh/ { inside = 1; next }
             inside && /^```/ { exit } inside && /^pgpkit / { print }' "$repo/README.md")
[ "$(echo "$lines" | wc -l)" -ge 10 ] || fail "the README's tour has too few commands: $lines"

"$bin" import --home "$work/server" "$repo/tests/data/examples/alice.pub.asc" 2>/dev/null
"$bin" serve --home "$work/server" --listen 127.0.0.1:0 2> "$work/serve.log" &
server=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "pgpkit serve did not start: $(cat "$work/serve.log")"

# Files the tour writes land in a scratch folder that sees the repository's tests/.
mkdir -p "$work/cwd" && ln -s "$repo/tests" "$work/cwd/tests"
cd "$work/cwd"
export PGPKIT_HOME="$work/home"
n=0
while IFS= read -r line; do
  cmd=${line//hkps:\/\/keys.openpgp.org/hkp://127.0.0.1:$port}
  cmd="\"\$bin\"${cmd#pgpkit}"
  if ! out=$(eval "$cmd" 2>&1 >/dev/null); then
    fail "this line of the tour fails: $line
$out"
  fi
  n=$((n + 1))
done <<< "$lines"
echo "tour_test: $n commands of the README's tour ran"
