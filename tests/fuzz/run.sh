#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build/fuzz) and runs each for SECONDS (default 60),
# starting from its seed corpus in tests/fuzz/corpus/<target> (every reproduction of issue 11
# is a seed). Exits non-zero on the first crash, leak, sanitizer report or timeout, and prints
# each target's executions per second and the coverage it reached.
# Usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
seconds=${1:-60}
build=build/fuzz
mkdir -p "$build"
# Quiet when it works; the compiler's own words when it does not.
if [ ! -f "$build/build.ninja" ] &&
    ! cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1; then
  tail -30 "$build/configure.log" >&2
  echo "fuzz: configuring the fuzz targets failed (log: $build/configure.log)" >&2
  exit 1
fi
if ! cmake --build "$build" --parallel "$(nproc)" >"$build/build.log" 2>&1; then
  grep -E "error|undefined reference" "$build/build.log" | head -20 >&2
  echo "fuzz: building the fuzz targets failed (log: $build/build.log)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in request cookie query token scenario metrics replica; do
  mkdir -p "$work/$target"
  log="$work/$target.log"
  # New inputs go to a scratch corpus; the seeds in the tree are only read.
  if ! "$build/fuzz_$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/" "$work/$target" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz: fuzz_$target found a problem (input saved under $work; kept for this run only)" >&2
    trap - EXIT
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  echo "fuzz: fuzz_$target ${seconds}s: $runs runs, $rate exec/s, $cov, no crash"
done
