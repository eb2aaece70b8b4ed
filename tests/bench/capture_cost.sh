#!/usr/bin/env bash
# What the request inspector costs: the same nginx backend behind Portico with capture off,
# capture on without history, and capture on with its defaults (1 MiB bodies, 256 MiB ring,
# SQLite history), plus nginx for scale, under the same wrk load in interleaved rounds.
# Besides requests/s (the headline), it prints Portico's CPU time per request (utime+stime of
# the process over the run, until its deferred work such as history writes has settled): on a
# machine shared with other work requests/s is noise, CPU per request is not.
#   tests/bench/capture_cost.sh [duration_s=8] [connections=50] [portico binary]
set -euo pipefail
D=${1:-8}; C=${2:-50}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${3:-}"


start_backend; start_nginx_proxy
host_routers 0 0 $W/dyn.yaml

start_portico off $W/dyn.yaml '{enabled: false}'
start_portico ring $W/dyn.yaml '{history: {enabled: false}}'
start_portico default $W/dyn.yaml '{}'
for p in $B $N ${PORT[off]} ${PORT[ring]} ${PORT[default]}; do waitport $p; done
curl -sf -o /dev/null http://127.0.0.1:${PORT[default]}/ || { cat $W/default/log; exit 1; }

ROUNDS=${ROUNDS:-3}
declare -A OUT CPU HCPU
TCK=$(getconf CLK_TCK)
ticks() { # pid [thread name]: CPU clock ticks (utime+stime) of the process or of its named thread
  if [ -z "${2:-}" ]; then sed 's/.*) //' /proc/$1/stat | awk '{print $12+$13}'; return; fi
  local t=0 f
  for f in /proc/$1/task/*; do
    [ "$(cat $f/comm 2>/dev/null)" = "$2" ] && t=$((t + $(sed 's/.*) //' $f/stat | awk '{print $12+$13}')))
  done
  echo $t
}
settle() { # pid: waits (up to 10 s) until the process stops using CPU after a run
  local a b; a=$(ticks $1)
  for _ in $(seq 50); do sleep 0.2; b=$(ticks $1); [ $((b - a)) -le 1 ] && return; a=$b; done
}
measure() { # name port
  local pid=${PID[$1]:-} c0=0 h0=0 res
  [ -n "$pid" ] && { c0=$(ticks $pid); h0=$(ticks $pid history); }
  res=$(wrk -t1 -c$C -d${D}s --latency http://127.0.0.1:$2/ 2>&1)
  OUT[$1]+="$(awk '
    /Requests\/sec/{r=$2} $1=="50%"{p50=$2} $1=="99%"{p99=$2} /Non-2xx|Socket errors/{e=e $0 " "}
    END{printf "%s %s %s %s\n", r, p50, p99, e}' <<<"$res")"$'\n'
  [ -z "$pid" ] && return
  settle $pid
  local n; n=$(awk '/requests in/{print $1}' <<<"$res")
  CPU[$1]+="$(awk -v t=$(( $(ticks $pid) - c0 )) -v n=$n -v k=$TCK 'BEGIN{printf "%.2f", t*1e6/k/n}')"$'\n'
  HCPU[$1]+="$(awk -v t=$(( $(ticks $pid history) - h0 )) -v n=$n -v k=$TCK 'BEGIN{printf "%.2f", t*1e6/k/n}')"$'\n'
}
median() { sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}'; }
for t in nginx off ring default; do
  p=${PORT[$t]:-$N}; wrk -t1 -c10 -d1s http://127.0.0.1:$p/ >/dev/null 2>&1
done
for round in $(seq "$ROUNDS"); do
  measure nginx $N; measure off ${PORT[off]}; measure ring ${PORT[ring]}; measure default ${PORT[default]}
done
echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS interleaved runs; 2 cores shared by wrk, backend and proxy"
declare -A RPS
for name in nginx off ring default; do
  read -r rps p50 p99 errs <<<"$(printf "%s" "${OUT[$name]}" | median)"
  RPS[$name]=$rps
  printf "%-22s %10s rps  p50 %-8s p99 %-8s %s\n" "$name" "$rps" "$p50" "$p99" "$errs"
done
echo "Portico CPU per request (process utime+stime until settled; median of $ROUNDS):"
for name in off ring default; do
  cpu=$(printf "%s" "${CPU[$name]}" | median); h=$(printf "%s" "${HCPU[$name]}" | median)
  printf "%-22s %8s us/request  (history thread %s us)\n" "$name" "$cpu" "$h"
done
CPUOFF=$(printf "%s" "${CPU[off]}" | median)
for name in ring default; do
  awk -v a="$(printf "%s" "${CPU[$name]}" | median)" -v b="$CPUOFF" -v n="$name" \
    'BEGIN{printf "capture %-8s CPU/request %.3f x capture off (+%.1f %%)\n", n, a/b, (a/b-1)*100}'
done
for name in ring default; do
  awk -v a="${RPS[$name]}" -v b="${RPS[off]}" -v n="$name" \
    'BEGIN{printf "capture %-8s %.3f x capture off (cost %.1f %%)\n", n, a/b, (1-a/b)*100}'
done
awk -v a="${RPS[off]}" -v b="${RPS[nginx]}" 'BEGIN{printf "capture off: %.3f x nginx\n", a/b}'
ls -la $W/default/history.sqlite* 2>/dev/null | awk '{s+=$5} END{printf "history written: %.1f MiB\n", s/1048576}'
# Under saturation the history writer (lowest CPU priority) falls behind and drops what does not
# fit its backlog: counted and logged, never silent; the live ring has every record.
echo "history rows: $(sqlite3 $W/default/history.sqlite 'SELECT COUNT(*) FROM records' 2>/dev/null || echo '?')"
grep -h "records not written" $W/default/log | tail -1 || true
