#!/usr/bin/env bash
# Soak (label bench, not CI): USERS virtual users (default 5,000, 1 s think time) for DURATION_S
# (default 600) in shared-store mode, with a node killed every minute and restarted 5 s later
# (node-2 and node-3 in turn; node-1, Redis and the balancer run throughout). Every 10 s it
# samples the resident memory and open file descriptors of the engine (statelab-cli run), the
# balancer, redis-server and node-1. Fails when one of them ends the run (median of the last
# minute) more than 10% above where it was after the warm-up (median of the minute after the
# first fifth of the run; descriptors: 10% or 32, the larger), or when a session is lost
# anywhere but at a kill. Prints every figure, and the engine's memory per user.
# Usage: soak.sh BIN_DIR [DURATION_S] [USERS]
set -euo pipefail
bin=${1:?usage: soak.sh BIN_DIR [DURATION_S] [USERS]}
duration=${2:-600}
users=${3:-5000}
command -v redis-server >/dev/null || { echo "soak.sh: redis-server not found (./run.sh installs it)" >&2; exit 1; }
[ -x "$bin/statelab-cli" ] || { echo "soak.sh: $bin/statelab-cli not found (build it first)" >&2; exit 1; }
(( duration >= 120 )) || { echo "soak.sh: DURATION_S must be at least 120" >&2; exit 2; }

work=$(mktemp -d)
cli=
trap '[ -n "$cli" ] && kill -TERM "$cli" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

timeline=
for ((minute = 1; minute * 60 + 10 < duration; minute++)); do
  node=$(( minute % 2 ? 2 : 3 ))
  timeline+="${timeline:+,}
    { \"at_s\": $((minute * 60)), \"action\": \"kill\", \"target\": \"node-$node\" },
    { \"at_s\": $((minute * 60 + 5)), \"action\": \"restart\", \"target\": \"node-$node\" }"
done
cat >"$work/soak.json" <<JSON
{ "name": "soak: $users users, a kill a minute", "mode": "shared-store", "nodes": 3, "duration_s": $duration,
  "traffic": { "users": $users, "think_ms": 1000, "journey": "shop" },
  "timeline": [ $timeline ] }
JSON

"$bin/statelab-cli" run "$work/soak.json" --out "$work/out" >"$work/cli.log" 2>&1 &
cli=$!

# name -> pid of what runs throughout: the engine, the balancer, redis-server, node-1.
declare -A pid
pid[engine]=$cli
for _ in $(seq 200); do
  for child in $(pgrep -P "$cli" || true); do
    cmd=$(tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null || true)
    case "$cmd" in
      *statelab-balancer*) pid[balancer]=$child ;;
      *redis-server*) pid[redis]=$child ;;
      *statelab-backend*"--name node-1 "*) pid[node-1]=$child ;;
    esac
  done
  [ -n "${pid[balancer]:-}" ] && [ -n "${pid[redis]:-}" ] && [ -n "${pid[node-1]:-}" ] && break
  sleep 0.1
done
for name in balancer redis node-1; do
  [ -n "${pid[$name]:-}" ] || { echo "soak.sh: no $name process under the engine:" >&2; tail -5 "$work/cli.log" >&2; exit 1; }
done

names=(engine balancer redis node-1)
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { { ls "/proc/$1/fd" 2>/dev/null || true; } | wc -l; }
samples=$work/samples.tsv
printf '%6s' t_s; for n in "${names[@]}"; do printf ' %14s' "$n(MB/fd)"; done; echo
start=$SECONDS
while kill -0 "$cli" 2>/dev/null && (( SECONDS - start < duration - 5 )); do
  sleep 10
  kill -0 "$cli" 2>/dev/null || break
  t=$(( SECONDS - start ))
  printf '%6d' "$t"
  for n in "${names[@]}"; do
    r=$(rss_kb "${pid[$n]}"); f=$(fds "${pid[$n]}")
    printf ' %9.1f/%4d' "$(awk -v r="$r" 'BEGIN {print r / 1024}')" "$f"
    printf '%s\t%s\t%s\t%s\n' "$t" "$n" "$r" "$f" >>"$samples"
  done
  echo
done
wait "$cli" || { echo "soak.sh: the run failed:" >&2; tail -5 "$work/cli.log" >&2; cli=; exit 1; }
cli=

# Flat: the median of the last minute's samples against the median of the minute after the
# warm-up (the first fifth of the run). Medians, because descriptors and memory move with the
# kills (a burst opens pooled connections, closed again 4 s later); a leak moves them for good.
python3 - "$work/out/summary.json" "$users" "$samples" "$duration" <<'PY'
import json, statistics, sys
s = json.load(open(sys.argv[1]))
users, duration = int(sys.argv[2]), int(sys.argv[4])
samples = [line.split("\t") for line in open(sys.argv[3]).read().splitlines()]
warmup = duration // 5
status = 0
lost = s["sessions"]["lost"]
at_kills = sum(e.get("lost", 0) for e in s["events"])
f = s["failures"]
print(f"requests {s['requests']}, lost {lost} (at the kills {at_kills}), failures: connect {f['connect']}, "
      f"reset {f['reset']}, timeout {f['timeout']}, 5xx {f['http_5xx']}, 4xx {f['http_4xx']}; "
      f"p50 {s['latency_ms']['p50']} ms, p99 {s['latency_ms']['p99']} ms")
if lost != at_kills:
    print(f"soak: {lost - at_kills} sessions lost away from any kill"); status = 1
for name in ["engine", "balancer", "redis", "node-1"]:
    mine = [(int(t), int(r), int(fd)) for t, n, r, fd in samples if n == name]
    early = [x for x in mine if warmup <= x[0] < warmup + 60]
    late = [x for x in mine if x[0] >= mine[-1][0] - 60]
    if not early or not late:
        print(f"soak: too few samples of {name}"); status = 1; continue
    r0, r1 = statistics.median(x[1] for x in early), statistics.median(x[1] for x in late)
    f0, f1 = statistics.median(x[2] for x in early), statistics.median(x[2] for x in late)
    growth = (r1 - r0) * 100 / r0
    print(f"{name}: resident {r0:.0f} kB after warm-up, {r1:.0f} kB at the end ({growth:+.1f}%); "
          f"descriptors {f0:.0f} -> {f1:.0f} (highest {max(x[2] for x in mine)})")
    if name == "engine":
        print(f"engine memory per user: {r0 * 1024 / users:.0f} B (resident set after warm-up / users)")
    if growth > 10:
        print(f"soak: {name}'s memory grew {growth:.1f}%"); status = 1
    if f1 > f0 + max(f0 / 10, 32):
        print(f"soak: {name}'s descriptors grew from {f0:.0f} to {f1:.0f}"); status = 1
sys.exit(status)
PY
