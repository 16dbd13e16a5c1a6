#!/usr/bin/env bash
# Sets up the machine, builds pgpkit and runs every test twice: a Release build, then a
# Debug build under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on);
# then runs every fuzzer for a short while (scripts/fuzz.sh). The peer-oracle tests
# (ctest label "oracle": they run gpg, sq, rnp, pgpdump on generated keys and on Debian's
# keyrings) and the store durability test (label "durability": kill -9 during imports)
# run in the Release pass only.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage prints its length, so the run's budget (45 minutes on CI) can be watched.
stage_start=$(date +%s)
stage() {
  local now; now=$(date +%s)
  echo "test.sh: stage '$1' took $((now - stage_start)) s" >&2
  stage_start=$now
}

bash scripts/bootstrap.sh
stage bootstrap
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
stage "release build"
(cd build && ctest --output-on-failure -j "$jobs")
stage "release tests"

# The Release pass compiled every public header on its own already (PGPKIT_HEADER_CHECK).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPGPKIT_SANITIZE=ON -DPGPKIT_BUILD_BENCH=OFF \
  -DPGPKIT_HEADER_CHECK=OFF
cmake --build build-asan -j "$jobs"
stage "sanitizer build"
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -j "$jobs" -LE 'oracle|durability')
stage "sanitizer tests"

# Third stage: the libFuzzer targets (clang, fuzzer + ASan + UBSan), each starting from
# seeds made from the test data. Any crash, leak, timeout or OOM fails CI; the inputs are
# left in build-fuzz/out/findings/<target>/. The big parsers get PGPKIT_CI_FUZZ_SECONDS
# each (default 30; 0 skips the stage); import (close to fuzz_cert) and message (a corpus
# of 554 inputs kept in tests/data/fuzz-corpus) a half of that; the
# keybox reader a third; the small parsers (key specs, HKP queries, the trustdb, the HKP
# index, the legacy protocol, VKS answers) a sixth. That keeps the whole run under 45
# minutes on CI's two cores; longer campaigns are scripts/fuzz.sh's job (README, "Fuzzing").
fuzz_seconds=${PGPKIT_CI_FUZZ_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_SECONDS=$fuzz_seconds FUZZ_OUT=build-fuzz/out \
    FUZZ_SECONDS_fuzz_key_spec=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_message=$(( (fuzz_seconds + 1) / 2 )) \
    FUZZ_SECONDS_fuzz_decrypt=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_hkp_query=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_trustdb=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_mr_index=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_legacy=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_vks=$(( (fuzz_seconds + 5) / 6 )) \
    FUZZ_SECONDS_fuzz_keybox=$(( (fuzz_seconds + 2) / 3 )) \
    FUZZ_SECONDS_fuzz_import=$(( (fuzz_seconds + 1) / 2 )) bash scripts/fuzz.sh
fi
stage fuzz
