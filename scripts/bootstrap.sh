#!/usr/bin/env bash
# Installs, idempotently, every Debian 12 package that pgpkit's build, tests and
# benchmarks need, including the peers the tests use as oracles.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libbotan-2-dev zlib1g-dev libbz2-dev libcli11-dev libsqlite3-dev sqlite3
  libboost-dev
  # botan-2.pc's Libs.private names -ltspi: `pkg-config --static pgpkit` links need it
  libtspi-dev
  # keyserver/: the HKP client (libcurl), the oracle keyserver (sks)
  libcurl4-openssl-dev sks
  # keyserver/'s PostgreSQL engine (libpq) and the throwaway cluster of its tests
  libpq-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  clang libclang-rt-14-dev
  gnupg sq sqop pgpdump rnp debian-keyring hyperfine wrk
  python3 groff-base
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
