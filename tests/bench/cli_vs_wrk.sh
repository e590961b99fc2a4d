#!/usr/bin/env bash
# Benchmark: statelab-cli bench (the engine's raw HTTP load loop) vs wrk, same target, one run.
# The target is an HAProxy frontend that answers every request itself, so the server costs the
# same for both clients and the ratio measures the clients. Both use one thread, 50 connections;
# keep-alive, then a connection per request (wrk -H "Connection: close", statelab-cli --close).
# Prints each one's requests/s and `statelab/wrk ratio: X` for both; exits 1 when a ratio misses
# its goal (>= 1.1 each; STATELAB_CLI_GOAL and STATELAB_CLI_CLOSE_GOAL override). Best of two
# alternations each, so noise does not decide.
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

# rate_of TOOL MODE SECONDS: requests/s of one run (MODE keep | close).
wrk_rate() {
  local close=(); [ "$1" = close ] && close=(-H "Connection: close")
  wrk -t1 -c50 -d"$2s" "${close[@]}" "$url" | awk '/^Requests\/sec:/ {print $2}'
}
cli_rate() {
  local close=(); [ "$1" = close ] && close=(--close)
  "$bin/statelab-cli" bench --url "$url" --connections 50 --duration "$2" --threads 1 "${close[@]}" 2>/dev/null |
    awk '/^requests\/s:/ {print $2}'
}
# compare NAME MODE GOAL: warm both up, then measure alternately (twice each, best of two) so
# neither gets a quieter machine.
compare() {
  local name=$1 mode=$2 goal=$3
  wrk_rate "$mode" 1 >/dev/null
  cli_rate "$mode" 1 >/dev/null
  local w1 w2 c1 c2
  w1=$(wrk_rate "$mode" "$duration"); c1=$(cli_rate "$mode" "$duration")
  c2=$(cli_rate "$mode" "$duration"); w2=$(wrk_rate "$mode" "$duration")
  for v in "$w1" "$w2" "$c1" "$c2"; do
    [ -n "$v" ] || { echo "cli_vs_wrk.sh: a run printed no rate" >&2; return 1; }
  done
  local theirs ours
  theirs=$(awk -v a="$w1" -v b="$w2" 'BEGIN { print (a > b ? a : b) }')
  ours=$(awk -v a="$c1" -v b="$c2" 'BEGIN { print (a > b ? a : b) }')
  echo "$name: wrk          requests/s: $theirs  (runs: $w1, $w2)"
  echo "$name: statelab-cli requests/s: $ours  (runs: $c1, $c2)"
  ratio_meets_goal "statelab/wrk ($name)" "$ours" "$theirs" "$goal"
}
status=0
compare "keep-alive" keep "${STATELAB_CLI_GOAL:-1.1}" || status=1
compare "connection per request" close "${STATELAB_CLI_CLOSE_GOAL:-1.1}" || status=1
exit $status
