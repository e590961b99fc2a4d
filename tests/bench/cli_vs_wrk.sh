#!/usr/bin/env bash
# Benchmark: statelab-cli bench (the engine's raw HTTP load loop) vs wrk, same target, one run.
# The target is an HAProxy frontend that answers every request itself, so the server costs the
# same for both clients and the ratio measures the clients. Both use one thread, 50 connections.
# Prints each one's requests/s and `statelab/wrk ratio: X`; exits 1 when it misses the goal
# (>= 1.0; STATELAB_CLI_GOAL overrides). Best of two alternations each, so noise does not decide.
# Usage: cli_vs_wrk.sh BIN_DIR [DURATION_S]
set -euo pipefail
bin=${1:?usage: cli_vs_wrk.sh BIN_DIR [DURATION_S]}
duration=${2:-5}
for tool in wrk haproxy curl; do
  command -v $tool >/dev/null || { echo "cli_vs_wrk.sh: $tool not found (./run.sh installs it)" >&2; exit 1; }
done
[ -x "$bin/statelab-cli" ] || { echo "cli_vs_wrk.sh: $bin/statelab-cli not found (build it first)" >&2; exit 1; }

source "$(dirname "$(readlink -f "$0")")/../../installer/lib/processes.sh"
work=$(mktemp -d)
pids=()
trap 'kill_all; rm -rf "$work"' EXIT

start_haproxy "$work" / "frontend fe
  bind 127.0.0.1:@PORT@
  http-request return status 200 content-type text/plain string ok"
hp=$haproxy_port
url="http://127.0.0.1:$hp/"

wrk_rate() { wrk -t1 -c50 -d"$1s" "$url" | awk '/^Requests\/sec:/ {print $2}'; }
cli_rate() {
  "$bin/statelab-cli" bench --url "$url" --connections 50 --duration "$1" --threads 1 2>/dev/null |
    awk '/^requests\/s:/ {print $2}'
}
# Warm both up, then measure alternately (twice each, best of two) so neither gets a quieter machine.
wrk_rate 1 >/dev/null
cli_rate 1 >/dev/null
w1=$(wrk_rate "$duration"); c1=$(cli_rate "$duration")
c2=$(cli_rate "$duration"); w2=$(wrk_rate "$duration")
for v in "$w1" "$w2" "$c1" "$c2"; do
  [ -n "$v" ] || { echo "cli_vs_wrk.sh: a run printed no rate" >&2; exit 1; }
done
theirs=$(awk -v a="$w1" -v b="$w2" 'BEGIN { print (a > b ? a : b) }')
ours=$(awk -v a="$c1" -v b="$c2" 'BEGIN { print (a > b ? a : b) }')
echo "wrk          requests/s: $theirs  (runs: $w1, $w2)"
echo "statelab-cli requests/s: $ours  (runs: $c1, $c2)"
ratio_meets_goal "statelab/wrk" "$ours" "$theirs" "${STATELAB_CLI_GOAL:-1.0}"
