# Shell helpers for scripts that start StateLab servers (sourced, not run).
# The caller keeps the pids in the array `pids` and kills them on exit.

# start_listening LOG COMMAND...: starts a server that prints `listening 127.0.0.1:PORT` and
# waits (5 s at most) for that line; sets $port. Exits with the server's stderr tail on failure.
start_listening() {
  local log=$1; shift
  "$@" >"$log" 2>"$log.err" &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening 127.0.0.1:\([0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "$(basename "$0"): $* did not start: $(tail -3 "$log.err")" >&2
  exit 1
}

# free_port: prints a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# kill_all: SIGKILLs every pid in `pids` (quietly).
kill_all() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# start_haproxy WORK_DIR PATH SECTIONS: runs a one-thread HAProxy (the shared global and defaults
# sections, then SECTIONS, in which @PORT@ stands for its port), waits until
# http://127.0.0.1:<port>PATH answers, and sets $haproxy_port. Exits with its log on failure.
start_haproxy() {
  local work=$1 path=$2 sections=$3
  haproxy_port=$(free_port)
  {
    printf 'global\n  nbthread 1\n  maxconn 2000\n'
    printf 'defaults\n  mode http\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n  option http-keep-alive\n'
    printf '%s\n' "${sections//@PORT@/$haproxy_port}"
  } >"$work/haproxy.cfg"
  haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$haproxy_port$path" >/dev/null && return 0; sleep 0.05; done
  echo "$(basename "$0"): haproxy did not start:" >&2
  cat "$work/haproxy.log" >&2
  exit 1
}

# ratio_meets_goal NAME OURS THEIRS GOAL: prints `NAME ratio: R (goal >= GOAL)` and returns 1
# when R = OURS / THEIRS is below GOAL (the benchmarks fail on a missed goal).
ratio_meets_goal() {
  awk -v name="$1" -v a="$2" -v b="$3" -v goal="$4" 'BEGIN {
    r = a / b; printf "%s ratio: %.2f (goal >= %s)\n", name, r, goal
    if (r < goal) { print name ": the goal is missed"; exit 1 } }'
}
