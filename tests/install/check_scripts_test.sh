#!/usr/bin/env bash
# The two include checks find what they are for: run on fixtures/leaky (a tree with one
# violation of each kind), each must fail and name exactly the expected lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/../../scripts
fixture=$here/fixtures/leaky

expect_failure() {  # name, expected stderr, command...
    local name=$1 want=$2
    shift 2
    local got
    if got=$("$@" 2>&1 >/dev/null); then
        echo "FAIL: $name passed on $fixture" >&2
        exit 1
    fi
    if [ "$got" != "$want" ]; then
        echo "FAIL: $name reported:" >&2
        echo "$got" >&2
        echo "expected:" >&2
        echo "$want" >&2
        exit 1
    fi
}

expect_failure check-layering.sh "$(cat <<'T'
check-layering: base/up.h:2: "packet/parser.h": base/ may not include the higher layer packet/
check-layering: packet/uses_internal.cpp:1: "crypto/internal/primes.h": internal header of crypto/ included from packet/
check-layering: keygen/x.cpp:1: <botan/hash.h>: only crypto/ includes Botan
check-layering: keygen/x.cpp:3: "same_folder.h": include from the repository root ("layer/file.h")
T
)" bash "$scripts/check-layering.sh" "$fixture"

expect_failure check-headers.sh "$(cat <<'T'
check-headers: crypto/leak.h:2: public header includes a dependency: #include <botan/bigint.h>
check-headers: armor/z.h:2: public header includes a dependency: #include <zlib.h>
check-headers: armor/z.h:3: public header includes a dependency:   #  include <CLI/CLI.hpp>
T
)" bash "$scripts/check-headers.sh" "$fixture"
echo "check scripts: both catch every fixture violation"
