#!/usr/bin/env bash
# Installs the Debian 12 packages StateLab needs to build, test and run.
# Idempotent: when every package is already installed it does not touch apt at all.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config ccache
  # engine and servers
  libboost-dev libboost-program-options-dev libhiredis-dev nlohmann-json3-dev libssl-dev libyaml-cpp-dev
  # GUI
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-qpa-plugins libgl-dev libqt6opengl6-dev
  # real peers used by the lab, the tests and the benchmarks
  redis-server redis-sentinel haproxy wrk curl procps python3
  # tst_config_export parses the exported compose.yaml
  python3-yaml
  # packages (./run.sh package): CPack DEB's dpkg-shlibdeps needs dpkg-dev and file
  dpkg-dev file
  # fuzzing (libFuzzer with ASan and UBSan: ./run.sh fuzz, and its smoke in ./run.sh test)
  clang libclang-rt-14-dev
  # looking at the GUI and checking exports
  xvfb xauth imagemagick poppler-utils desktop-file-utils appstream libxml2-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "statelab: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "statelab: not root and no sudo; install these packages first: ${missing[*]}" >&2; exit 1
  fi
else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
# The packaged redis-server, redis-sentinel and haproxy start system services we never use: the lab starts its own.
for svc in redis-server redis-sentinel haproxy; do
  command -v systemctl >/dev/null && $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
  command -v service >/dev/null && $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
exit 0
