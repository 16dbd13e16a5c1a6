#!/usr/bin/env bash
# The installed library works for a program outside the tree: installs BUILD_DIR into a
# temporary prefix, builds consumer/main.cpp twice -- with find_package(pgpkit) and with
# `pkg-config --cflags --libs --static pgpkit` -- and checks that both print the
# fingerprints gpg shows for an armored example key.
# Usage: consumer_test.sh BUILD_DIR CXX [EXTRA_FLAGS]   (EXTRA_FLAGS: e.g. the sanitizer
# flags the library was built with, which its consumers must link with too)
set -euo pipefail
build=$1 cxx=$2 extra=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
key=$here/../data/examples/alice.pub.asc

for tool in cmake pkg-config gpg "$cxx"; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done
[ -f "$key" ] || { echo "FAIL: missing $key" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; exit 1; }
for f in lib/libpgpkit.a lib/pkgconfig/pgpkit.pc lib/cmake/pgpkit/pgpkitConfig.cmake bin/pgpkit bin/pgpkit-sop \
         include/pgpkit/base/secret.h include/pgpkit/packet/parser.h; do
    [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed" >&2; exit 1; }
done
# pgpkit-sop is the installed pgpkit under the name that runs `pgpkit sop`.
"$prefix/bin/pgpkit-sop" version | grep -q '^pgpkit-sop ' || { echo "FAIL: pgpkit-sop does not run sop" >&2; exit 1; }
if find "$prefix/include" -path '*/internal/*' | grep -q .; then
    echo "FAIL: internal headers installed:" >&2
    find "$prefix/include" -path '*/internal/*' >&2
    exit 1
fi

# 1. CMake package.
cmake -S "$here/consumer" -B "$tmp/cmake-build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" \
    >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log" >&2; exit 1; }
cmake --build "$tmp/cmake-build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }

# 2. pkg-config, with the static library's private dependencies.
# shellcheck disable=SC2046,SC2086
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs --static pgpkit)
# shellcheck disable=SC2086
"$cxx" -std=c++20 $extra "$here/consumer/main.cpp" -o "$tmp/consumer-pc" $flags

# The fingerprints gpg shows (primary key, then subkeys), from a throwaway home.
mkdir -m 700 "$tmp/gnupg"
want=$(GNUPGHOME=$tmp/gnupg gpg --batch --show-keys --with-colons "$key" 2>/dev/null | awk -F: '$1 == "fpr" { print $10 }')
[ -n "$want" ] || { echo "FAIL: gpg showed no fingerprint for $key" >&2; exit 1; }

for bin in "$tmp/cmake-build/consumer" "$tmp/consumer-pc"; do
    got=$("$bin" "$key")
    if [ "$got" != "$want" ]; then
        echo "FAIL: $bin printed" >&2
        echo "$got" >&2
        echo "gpg shows" >&2
        echo "$want" >&2
        exit 1
    fi
done
echo "consumer: find_package and pkg-config builds both print $(echo "$want" | wc -l) fingerprints as gpg"
echo "$want"
