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
# Your-own-system practice: the shipped target example pointed at this cluster, node-2 killed by
# a command at 10 s (README, "Your own system as the target").
example="$(dirname "$(readlink -f "$0")")/../resources/targets/own-app-shop.json"
if [ -f "$example" ]; then
  python3 - "$example" "$url" "${pids[1]:-}" "$work/target.json" <<'PY'
import json, sys
example, url, node2_pid, out = sys.argv[1:5]
s = json.load(open(example))
s["name"] = "demo cluster as your own system: node-2 killed by a command"
s["target"]["url"] = url
s["actions"] = {"node-2": {"kill": "kill -9 " + node2_pid}} if node2_pid else {}
s["timeline"] = [{"at_s": 10, "action": "kill", "target": "node-2"}] if node2_pid else []
json.dump(s, open(out, "w"), indent=2)
PY
fi
cat <<MSG
statelab: a $nodes-node sticky cluster is running (cookie balancer, sessions in each node's memory)
  URL:     $url
  status:  curl -s $url/lb/status
  try:     curl -si -c jar -b jar -X POST '$url/login?user=ann'
           curl -si -c jar -b jar -X POST '$url/cart/items?item=hat'
           curl -si -c jar -b jar $url/cart        # X-Served-By shows your node
  logs:    $work
  drive it as your own system (the lab launches nothing, kills node-2 by command at 10 s):
           $bin/statelab-cli run $work/target.json --allow-commands --out runs/my-system
Press Ctrl-C to stop the cluster.
MSG
wait
