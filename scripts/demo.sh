#!/usr/bin/env bash
# Sets up the machine, builds pgpkit and dumps an example key (the README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target pgpkit_cli
./build/pgpkit dump "${1:-tests/data/examples/alice.pub.asc}"
