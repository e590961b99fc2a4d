#!/usr/bin/env bash
# Soak (label bench, not CI): USERS virtual users (default 5,000, 1 s think time) for DURATION_S
# (default 600) in shared-store mode, with a node killed every minute and restarted 5 s later
# (node-2 and node-3 in turn; node-1, Redis and the balancer run throughout). Every 10 s it
# samples the resident memory and open file descriptors of the engine (statelab-cli run), the
# balancer, redis-server and node-1. Fails when, after the warm-up (the first fifth of the
# run), any of them grows more than 10% over its warm-up value (descriptors: 10% or 64, the
# larger: the balancer's pooled connections come and go with the kills), or when a session is lost anywhere but at a kill. Prints every figure, and the
# engine's memory per user.
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
warmup=$(( duration / 5 ))
declare -A rss0 fd0 rss_max fd_max
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
    if (( t >= warmup && ${rss0[$n]:-0} == 0 )); then rss0[$n]=$r; fd0[$n]=$f; fi
    if (( ${rss0[$n]:-0} > 0 )); then
      (( r > ${rss_max[$n]:-0} )) && rss_max[$n]=$r
      (( f > ${fd_max[$n]:-0} )) && fd_max[$n]=$f
    fi
  done
  echo
done
wait "$cli" || { echo "soak.sh: the run failed:" >&2; tail -5 "$work/cli.log" >&2; cli=; exit 1; }
cli=

summary=$work/out/summary.json
python3 - "$summary" "$users" "${rss0[engine]:-0}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
users, engine_kb = int(sys.argv[2]), int(sys.argv[3])
lost = s["sessions"]["lost"]
at_kills = sum(e.get("lost", 0) for e in s["events"])
f = s["failures"]
print(f"requests {s['requests']}, lost {lost} (at the kills {at_kills}), failures: connect {f['connect']}, "
      f"reset {f['reset']}, timeout {f['timeout']}, 5xx {f['http_5xx']}, 4xx {f['http_4xx']}; "
      f"p50 {s['latency_ms']['p50']} ms, p99 {s['latency_ms']['p99']} ms")
print(f"engine memory per user: {engine_kb * 1024 / users:.0f} B (resident set after warm-up / users)")
if lost != at_kills:
    print(f"soak: {lost - at_kills} sessions lost away from any kill"); sys.exit(1)
PY
status=0
for n in "${names[@]}"; do
  r0=${rss0[$n]:-0}; f0=${fd0[$n]:-0}
  (( r0 > 0 )) || { echo "soak.sh: no sample of $n after the warm-up" >&2; exit 1; }
  growth=$(awk -v a="${rss_max[$n]}" -v b="$r0" 'BEGIN {printf "%.1f", (a - b) * 100 / b}')
  fd_room=$(( f0 / 10 > 64 ? f0 / 10 : 64 )) # pooled connections come and go with the kills
  echo "$n: resident ${r0} kB after warm-up, at most ${rss_max[$n]} kB later (+${growth}%); descriptors ${f0}, at most ${fd_max[$n]}"
  if awk -v g="$growth" 'BEGIN {exit !(g > 10)}'; then echo "soak: $n's memory grew ${growth}%"; status=1; fi
  if (( fd_max[$n] > f0 + fd_room )); then echo "soak: $n's descriptors grew from $f0 to ${fd_max[$n]}"; status=1; fi
done
exit $status
