#!/usr/bin/env bash
# Benchmark: statelab-balancer vs HAProxy, same backends, same wrk load, one run.
# Keep-alive, then a connection per request (Connection: close). Prints each one's requests/s and
# `balancer/haproxy ratio: X` for both; exits 1 when a ratio misses its goal (>= 1.0 each;
# STATELAB_BALANCER_GOAL and STATELAB_BALANCER_CLOSE_GOAL override). Noise-aware: three
# alternations, best of each.
# Usage: balancer.sh BIN_DIR [DURATION_S]
set -euo pipefail
bin=${1:?usage: balancer.sh BIN_DIR [DURATION_S]}
duration=${2:-5}
for tool in wrk haproxy; do
  command -v $tool >/dev/null || { echo "balancer.sh: $tool not found (./run.sh installs it)" >&2; exit 1; }
done

source "$(dirname "$(readlink -f "$0")")/../../installer/lib/processes.sh"
work=$(mktemp -d)
pids=()
trap 'kill_all; rm -rf "$work"' EXIT

start_listening "$work/n1" "$bin/statelab-backend" --name node-1 --port 0; p1=$port
start_listening "$work/n2" "$bin/statelab-backend" --name node-2 --port 0; p2=$port
start_listening "$work/lb" "$bin/statelab-balancer" --policy round-robin \
  --backend node-1=127.0.0.1:$p1 --backend node-2=127.0.0.1:$p2; lb=$port

start_haproxy "$work" /healthz "frontend fe
  bind 127.0.0.1:@PORT@
  default_backend be
backend be
  balance roundrobin
  http-reuse always
  server node-1 127.0.0.1:$p1
  server node-2 127.0.0.1:$p2"
hp=$haproxy_port

# rate URL [wrk options...]: requests/s of one wrk run.
rate() { local url=$1; shift; wrk -t1 -c50 -d"${duration}s" "$@" "$url" | awk '/^Requests\/sec:/ {print $2}'; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }
# One comparison: both warmed up, then measured alternately so neither gets a quieter machine
# (ABBAAB), best of three each. Prints the rates and the ratio; returns 1 when it misses GOAL.
compare() {
  local what=$1 goal=$2; shift 2
  wrk -t1 -c50 -d1s "$@" "http://127.0.0.1:$lb/healthz" >/dev/null
  wrk -t1 -c50 -d1s "$@" "http://127.0.0.1:$hp/healthz" >/dev/null
  local o=() t=()
  o+=("$(rate "http://127.0.0.1:$lb/healthz" "$@")"); t+=("$(rate "http://127.0.0.1:$hp/healthz" "$@")")
  t+=("$(rate "http://127.0.0.1:$hp/healthz" "$@")"); o+=("$(rate "http://127.0.0.1:$lb/healthz" "$@")")
  o+=("$(rate "http://127.0.0.1:$lb/healthz" "$@")"); t+=("$(rate "http://127.0.0.1:$hp/healthz" "$@")")
  for v in "${o[@]}" "${t[@]}"; do [ -n "$v" ] || { echo "balancer.sh: a run printed no rate" >&2; return 1; }; done
  local ours theirs
  ours=$(best "${o[@]}"); theirs=$(best "${t[@]}")
  echo "$what: statelab-balancer requests/s: $ours  (runs: ${o[*]})"
  echo "$what: haproxy           requests/s: $theirs  (runs: ${t[*]})"
  ratio_meets_goal "balancer/haproxy ($what)" "$ours" "$theirs" "$goal"
}
status=0
compare "keep-alive" "${STATELAB_BALANCER_GOAL:-1.0}" || status=1
# A connection per request (users that close idle connections make every request one).
compare "connection per request" "${STATELAB_BALANCER_CLOSE_GOAL:-1.0}" -H "Connection: close" || status=1
exit $status
