#!/usr/bin/env bash
# StateLab's one entry point.
#   ./run.sh            install missing packages, build, start the lab
#   ./run.sh test       install, build, run every test but the benchmarks
#   ./run.sh bench      install, build (release), run the benchmarks
#   ./run.sh build      install and build only
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

cmd=${1:-start}
[ $# -gt 0 ] && shift

bash installer/install-deps.sh

preset=dev
[ "$cmd" = bench ] && preset=release
build_dir=build/$preset

build() {
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake --preset "$preset" >/dev/null
  fi
  cmake --build "$build_dir" --parallel "$(nproc)"
}

case "$cmd" in
  build)
    build ;;
  test)
    build
    # Every label but bench; benchmarks run with ./run.sh bench.
    ctest --test-dir "$build_dir" --output-on-failure --label-exclude bench --timeout 300 "$@" ;;
  bench)
    build
    ctest --test-dir "$build_dir" --output-on-failure --label-regex bench --verbose "$@" ;;
  start)
    build
    # The GUI arrives with the lab-window issue; until then, a live cluster to poke at.
    exec bash installer/demo-cluster.sh "$build_dir/bin" "$@" ;;
  *)
    echo "usage: ./run.sh [start|test|bench|build]" >&2; exit 2 ;;
esac
