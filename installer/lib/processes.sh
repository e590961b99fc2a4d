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
