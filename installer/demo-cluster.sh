#!/usr/bin/env bash
# Starts a 3-node sticky-session cluster (cookie balancer over in-memory sessions) on
# 127.0.0.1, prints its URL and a few requests to try, and runs until Ctrl-C.
# Usage: demo-cluster.sh BIN_DIR [NODES]
set -euo pipefail
bin=${1:?usage: demo-cluster.sh BIN_DIR [NODES]}
nodes=${2:-3}
source "$(dirname "$(readlink -f "$0")")/lib/processes.sh"
work=$(mktemp -d -t statelab-demo.XXXXXX)
pids=()
trap 'kill_all; echo "statelab: cluster stopped; logs were in $work"' EXIT
trap 'exit 0' INT TERM

backends=()
for i in $(seq "$nodes"); do
  start_listening "$work/node-$i.log" "$bin/statelab-backend" --name "node-$i" --port 0 --store memory
  backends+=(--backend "node-$i=127.0.0.1:$port")
done
start_listening "$work/balancer.log" "$bin/statelab-balancer" --port 0 --policy cookie "${backends[@]}"
url="http://127.0.0.1:$port"
cat <<MSG
statelab: a $nodes-node sticky cluster is running (cookie balancer, sessions in each node's memory)
  URL:     $url
  status:  curl -s $url/lb/status
  try:     curl -si -c jar -b jar -X POST '$url/login?user=ann'
           curl -si -c jar -b jar -X POST '$url/cart/items?item=hat'
           curl -si -c jar -b jar $url/cart        # X-Served-By shows your node
  logs:    $work
Press Ctrl-C to stop the cluster.
MSG
wait
