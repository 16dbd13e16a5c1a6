#!/usr/bin/env bash
# Builds the libFuzzer entry points (clang, fuzzer + AddressSanitizer + UBSan + LSan) and
# runs each target, or the ones named, for FUZZ_SECONDS each.
#
#   scripts/fuzz.sh [fuzz_parse fuzz_dump ...]     # default: every tests/fuzz/fuzz_*.cpp
#
# Environment (defaults in brackets):
#   FUZZ_SECONDS   seconds per target [60]; also the first argument if it is a number;
#                  0 runs no fuzzer (with FUZZ_KEEP=1: only rewrite the kept corpus)
#   FUZZ_SECONDS_<target>  seconds for that target instead (CI gives small targets less)
#   FUZZ_PARALLEL  targets run at the same time [1]
#   FUZZ_JOBS      libFuzzer -jobs=N -workers=N inside one target [1]
#   FUZZ_OUT       output root [fuzz]: corpus/<target>/ (new inputs, kept between runs),
#                  seeds/<target>/ (regenerated from the test data by fuzz-seeds.py),
#                  findings/<target>/ (crash-*, leak-*, timeout-*, oom-*), logs/<target>/
#   FUZZ_BUILD     build directory [build-fuzz]
#   FUZZ_MAX_LEN [65536]  FUZZ_TIMEOUT s per input [25]  FUZZ_RSS_MB [2048]
#   FUZZ_KEEP      1: after the run, rewrite tests/data/fuzz-corpus/<target>/ as the
#                  smallest set of inputs (libFuzzer -merge=1) that covers what the seeds,
#                  the kept corpus and this run's new inputs cover, minus the seeds [0]
#   FUZZ_KEEP_MAX_LEN  inputs kept are cut to this many octets, which keeps the committed
#                  corpus small [16384]
# The committed corpus tests/data/fuzz-corpus/<target>/ is read by every run (CI's too), so
# a short run starts from the coverage the long campaigns reached.
# Prints executions, exec/s, cov, ft, new corpus entries and findings per target; exits 1
# if any target found something. A finding is reproduced with
#   build-fuzz/fuzz_<target> fuzz/findings/<target>/crash-...
# and then belongs in tests/data/fuzz/<target>/ (replayed by the GoogleTest suite).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then FUZZ_SECONDS=$1; shift; fi
seconds=${FUZZ_SECONDS:-60}
parallel=${FUZZ_PARALLEL:-1}
jobs=${FUZZ_JOBS:-1}
out=$(realpath -m "${FUZZ_OUT:-fuzz}")
build=${FUZZ_BUILD:-build-fuzz}
max_len=${FUZZ_MAX_LEN:-65536}
timeout=${FUZZ_TIMEOUT:-25}
rss=${FUZZ_RSS_MB:-2048}
keep_max_len=${FUZZ_KEEP_MAX_LEN:-16384}

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
for t in "${targets[@]}"; do
  [[ -f tests/fuzz/$t.cpp ]] || { echo "fuzz: no such target: $t (tests/fuzz/$t.cpp)" >&2; exit 2; }
done

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (scripts/bootstrap.sh installs it)" >&2; exit 2; }
build_start=$SECONDS
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPGPKIT_FUZZ=ON -DPGPKIT_SANITIZE=ON -DPGPKIT_BUILD_TESTS=OFF -DPGPKIT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
echo "fuzz: build took $((SECONDS - build_start)) s"

python3 scripts/fuzz-seeds.py "$out/seeds"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# keep_corpus TARGET BIN DIR: DIR becomes the minimal set of inputs that adds coverage to
# the seeds (merge starts from a copy of the seeds; the seeds are then taken out again).
keep_corpus() {
  local t=$1 bin=$2 kept=$3 tmp
  tmp=$(mktemp -d)
  cp "$out/seeds/$t"/. "$tmp"/ -r
  mkdir -p "$kept"
  "$bin" -merge=1 -timeout="$timeout" -rss_limit_mb="$rss" -max_len="$keep_max_len" \
    "$tmp" "$kept" "$out/corpus/$t" >"$out/logs/$t/merge.log" 2>&1
  (cd "$out/seeds/$t" && find . -maxdepth 1 -type f -printf '%f\0') |
    (cd "$tmp" && xargs -0 -r rm -f)
  find "$kept" -maxdepth 1 -type f ! -name README.md -delete
  cp "$tmp"/. "$kept"/ -r
  rm -rf "$tmp"
  echo "$t: kept corpus $(find "$kept" -type f ! -name README.md | wc -l) files," \
       "$(du -sk --exclude=README.md "$kept" | cut -f1) KiB in ${kept#"$PWD"/}" >>"$out/logs/$t/merge.log"
}

# Runs one target; its summary line goes to logs/<target>/summary.
run_target() {
  local t=$1 bin logs stamp rc=0 own="FUZZ_SECONDS_$1"
  local seconds=${!own:-$seconds}
  bin=$(realpath "$build/$t")
  logs=$out/logs/$t
  rm -rf "$logs"
  mkdir -p "$out/corpus/$t" "$out/findings/$t" "$logs" "$out/seeds/$t"
  stamp=$logs/start
  touch "$stamp"
  local args=(-max_total_time="$seconds" -print_final_stats=1 -timeout="$timeout"
              -rss_limit_mb="$rss" -malloc_limit_mb="$rss" -max_len="$max_len"
              -artifact_prefix="$out/findings/$t/")
  [[ -f tests/fuzz/$t.dict ]] && args+=(-dict="$(realpath "tests/fuzz/$t.dict")")
  local kept=$PWD/tests/data/fuzz-corpus/$t inputs=("$out/corpus/$t" "$out/seeds/$t")
  [[ -d $kept ]] && inputs+=("$kept")
  local before
  before=$(find "$out/corpus/$t" -type f | wc -l)
  if [[ $seconds -eq 0 ]]; then
    :  # no fuzzing: only FUZZ_KEEP's merge of what earlier runs found
  elif [[ $jobs -gt 1 ]]; then
    # Each job writes fuzz-<n>.log into the working directory.
    (cd "$logs" && "$bin" "${args[@]}" -jobs="$jobs" -workers="$jobs" \
       "${inputs[@]}" >"$logs/main.log" 2>&1) || rc=$?
  else
    "$bin" "${args[@]}" "${inputs[@]}" >"$logs/fuzz-0.log" 2>&1 || rc=$?
  fi
  if [[ ${FUZZ_KEEP:-0} == 1 && $rc -eq 0 ]]; then
    keep_corpus "$t" "$bin" "$kept" || echo "fuzz: $t: keeping the corpus failed (see $logs/merge.log)" >&2
  fi
  local execs=0 rate=0 cov=0 ft=0 log n v
  for log in "$logs"/fuzz-*.log; do
    [[ -f $log ]] || continue
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    execs=$((execs + ${n:-0}))
    n=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rate=$((rate + ${n:-0}))
    v=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    [[ ${v:-0} -gt $cov ]] && cov=$v
    v=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
    [[ ${v:-0} -gt $ft ]] && ft=$v
  done
  local found
  found=$(find "$out/findings/$t" -type f -newer "$stamp" \
          \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if [[ $rc -ne 0 && $found -eq 0 ]]; then found=1; fi  # died without an artifact: still a finding
  local added=$(( $(find "$out/corpus/$t" -type f | wc -l) - before ))
  printf '%-20s %6ss %12s execs %8s exec/s  cov %6s  ft %7s  +%s corpus  %s findings  (exit %s)\n' \
    "$t" "$seconds" "$execs" "$rate" "$cov" "$ft" "$added" "$found" "$rc" >"$logs/summary"
  cat "$logs/summary"
}

echo "fuzz: ${#targets[@]} target(s), ${seconds} s each, ${parallel} at a time, ${jobs} job(s) each; output in $out"
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [[ $running -ge $parallel ]]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

echo "fuzz: summary"
status=0
for t in "${targets[@]}"; do
  cat "$out/logs/$t/summary"
  if ! grep -q ' 0 findings ' "$out/logs/$t/summary"; then
    status=1
    echo "  findings in $out/findings/$t/ (log: $out/logs/$t/):"
    find "$out/findings/$t" -type f -newer "$out/logs/$t/start" | sed 's/^/    /'
    grep -m3 -E 'ERROR: |runtime error:|==ERROR' "$out/logs/$t"/*.log | sed 's/^/    /' || true
  fi
done
exit $status
