#!/usr/bin/env bash
# Sets up the machine, builds pgpkit and runs every test twice: a Release build, then a
# Debug build under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on);
# then runs every fuzzer for a short while (scripts/fuzz.sh). The peer-oracle tests
# (ctest label "oracle": they run gpg, sq, rnp, pgpdump on generated keys and on Debian's
# keyrings) and the store durability test (label "durability": kill -9 during imports)
# run in the Release pass only.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPGPKIT_SANITIZE=ON -DPGPKIT_BUILD_BENCH=OFF
cmake --build build-asan -j "$jobs"
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j "$jobs" -LE 'oracle|durability')

# Third stage: the libFuzzer targets (clang, fuzzer + ASan + UBSan) for
# PGPKIT_CI_FUZZ_SECONDS each (default 40; 0 skips the stage), starting from seeds made
# from the test data. Any crash, leak, timeout or OOM fails CI; the inputs are left in
# build-fuzz/out/findings/<target>/.
# The keyring targets (small parsers) get a sixth and a third of that, fuzz_trustdb (trust/'s
# trustdb.gpg and ownertrust text) a sixth, fuzz_import (the
# import's merge and clean, close to fuzz_cert) a half, which keeps the stage near its
# length before they came. 40 s (was 60) keeps the whole run under 45 minutes on CI's two
# cores; longer campaigns are scripts/fuzz.sh's job (README, "Fuzzing").
fuzz_seconds=${PGPKIT_CI_FUZZ_SECONDS:-40}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_SECONDS=$fuzz_seconds FUZZ_OUT=build-fuzz/out \
    FUZZ_SECONDS_fuzz_key_spec=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_trustdb=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_keybox=$(( (fuzz_seconds + 2) / 3 )) \
    FUZZ_SECONDS_fuzz_import=$(( (fuzz_seconds + 1) / 2 )) bash scripts/fuzz.sh
fi
