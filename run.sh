#!/usr/bin/env bash
# StateLab's one entry point.
#   ./run.sh            install missing packages, build, start the lab window (headless demo
#                       without a display)
#   ./run.sh cluster    a bare 3-node sticky cluster to try with curl
#   ./run.sh test       install, build, run every test but the benchmarks
#   ./run.sh bench      install, build (release), run the benchmarks
#   ./run.sh build      install and build only
#   ./run.sh package    build (release) and make the Debian package and the tarball (cpack)
#   ./run.sh fuzz [S]   build the libFuzzer targets (clang) and run each for S seconds (60)
#   ./run.sh sanitize asan|tsan   build with AddressSanitizer+UBSan or ThreadSanitizer and run
#                       the unit and integration tests under it (not in CI: a build takes ~15 min)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

# `./run.sh --scenario F --autostart` is `./run.sh start --scenario F --autostart`: options go to the lab.
case "${1:-}" in
  ''|-*) cmd=start ;;
  *) cmd=$1; shift ;;
esac

bash installer/install-deps.sh

preset=dev
case "$cmd" in bench|package) preset=release ;; esac
if [ "$cmd" = sanitize ]; then
  case "${1:-}" in
    asan) preset=dev-asan ;;
    tsan) preset=dev-tsan ;;
    *) echo "usage: ./run.sh sanitize asan|tsan [ctest options]" >&2; exit 2 ;;
  esac
  shift
fi
build_dir=build/$preset
# ccache (CMakeLists.txt uses it when installed): paths relative to this clone, and the build
# directory left out of the hash, so another clone of the same sources hits the same cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

build() {
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake --preset "$preset" >/dev/null
  fi
  cmake --build "$build_dir" --parallel "$(nproc)" "$@"
}

case "$cmd" in
  build)
    build ;;
  test)
    build
    # A short fuzz smoke first (about a minute with its build): any crash, leak or hang fails.
    # 8 s each: the whole CI run must stay under 30 minutes (it took 29:49 with 15 s); ./run.sh fuzz S
    # runs them longer.
    bash tests/fuzz/run.sh 8
    # Every label but bench; benchmarks run with ./run.sh bench. Side by side (3 to 6 at once): the
    # tests mostly wait on real clusters; those that measure load are RUN_SERIAL (tests/CMakeLists.txt).
    jobs=$(nproc); jobs=$(( jobs < 3 ? 3 : jobs > 6 ? 6 : jobs ))
    ctest --test-dir "$build_dir" --output-on-failure --label-exclude bench --timeout 300 --parallel "$jobs" "$@" ;;
  fuzz)
    exec bash tests/fuzz/run.sh "${1:-60}" ;;
  sanitize)
    build
    # The window's tests run Qt, which is not built with the sanitizers: unit and integration only.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$PWD/tests/tsan.supp"
    ctest --test-dir "$build_dir" --output-on-failure -L 'unit|integration' --label-exclude bench --timeout 600 "$@" ;;
  bench)
    build
    ctest --test-dir "$build_dir" --output-on-failure --label-regex bench --verbose "$@" ;;
  start)
    build
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec "$build_dir/bin/statelab" "$@"
    fi
    # No display: run the default demo headless, so the first command still shows something.
    out=runs/demo-$(date +%Y%m%d-%H%M%S)
    echo "statelab: no display found; running the demo scenario headless (the window needs X11 or Wayland)"
    "$build_dir/bin/statelab-cli" run resources/scenarios/demo.json --out "$out" "$@"
    echo "statelab: results are in $PWD/$out (summary.json, timeseries.csv, logs/)" ;;
  package)
    # Only what gets installed: the tests are not part of a package.
    build --target statelab statelab-cli statelab-backend statelab-balancer
    (cd "$build_dir" && cpack -G 'DEB;TGZ') | tee "$build_dir/cpack.log"
    echo "statelab: packages:"
    sed -n 's/^CPack: - package: \(.*\) generated\.$/  \1/p' "$build_dir/cpack.log" ;;
  cluster)
    # A bare sticky cluster to poke at with curl, no traffic.
    build
    exec bash installer/demo-cluster.sh "$build_dir/bin" "$@" ;;
  *)
    echo "usage: ./run.sh [start|test|bench|build|package|cluster|fuzz [S]|sanitize asan|tsan]" >&2; exit 2 ;;
esac
