#!/usr/bin/env bash
# CPU cost per proxied request, robust to a busy machine: the same nginx backend behind nginx
# (2 workers, upstream keepalive) and behind Portico (2 engine threads; capture on by default,
# capture off, and 1,000 host-rule routers), each under the same wrk load. The proxy's CPU time
# (utime+stime from /proc, summed over nginx's workers) divided by the requests served; wall-clock
# requests/s are printed too but are only meaningful on a quiet machine.
#   tests/bench/cpu_per_request.sh [duration_s=5] [connections=50] [portico binary]
set -euo pipefail
D=${1:-5}; C=${2:-50}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${3:-}"
HZ=$(getconf CLK_TCK)
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }


start_backend; start_nginx_proxy

host_routers 0 0 $W/one.yaml; host_routers 1 1000 $W/thousand.yaml
start_portico portico $W/one.yaml '{}'
start_portico portico-nocap $W/one.yaml '{enabled: false}'
start_portico portico-1000r $W/thousand.yaml '{}'
PORT[nginx]=$N
for p in $B ${PORT[nginx]} ${PORT[portico]} ${PORT[portico-nocap]} ${PORT[portico-1000r]}; do waitport $p; done
curl -sf -o /dev/null http://127.0.0.1:${PORT[portico]}/ || { cat $W/portico/log; exit 1; }
sleep 1
NGINX_WORKERS=$(pgrep -P $NGINX_PID | tr '\n' ' ')
declare -A IDLE; for t in portico portico-nocap portico-1000r; do IDLE[$t]=$(rss ${PID[$t]}); done
host() { [ "$1" = portico-1000r ] && echo "h777.bench.localhost" || echo "127.0.0.1"; }

ROUNDS=${ROUNDS:-2}
declare -A US RPS P99
for t in nginx portico portico-nocap portico-1000r; do
  wrk -t1 -c10 -d1s -H "Host: $(host $t)" http://127.0.0.1:${PORT[$t]}/ >/dev/null 2>&1 # warm-up
done
echo "wrk -t1 -c$C -d${D}s x $ROUNDS interleaved rounds; CPU from /proc (HZ=$HZ)"
for round in $(seq "$ROUNDS"); do
  for t in nginx portico portico-nocap portico-1000r; do
    pids=${PID[$t]:-$NGINX_WORKERS}
    before=$(ticks $pids)
    out=$(wrk -t1 -c$C -d${D}s --latency -H "Host: $(host $t)" http://127.0.0.1:${PORT[$t]}/ 2>&1)
    after=$(ticks $pids)
    read -r n rps p99 errs < <(awk '/requests in/{n=$1} /Requests\/sec/{r=$2} $1=="99%"{p=$2}
      /Non-2xx|Socket errors/{e="errors"} END{print n, r, p, e}' <<<"$out")
    us=$(awk -v d=$((after - before)) -v n="$n" -v hz=$HZ 'BEGIN{printf "%.2f", d * 1e6 / hz / n}')
    US[$t]+="$us "; RPS[$t]+="$rps "; P99[$t]+="$p99 "
    printf "round %d %-14s %8s req/s  p99 %-8s CPU %6s us/request %s\n" $round $t $rps $p99 $us "${errs:-}"
  done
done
best() { tr ' ' '\n' | grep . | sort -g | head -1; }
echo "--- lowest CPU per request over the rounds; idle RSS after start-up"
for t in nginx portico portico-nocap portico-1000r; do
  printf "%-14s CPU %6s us/request  RSS now %6s MiB  idle %6s MiB\n" $t "$(best <<<"${US[$t]}")" \
    "$(rss ${PID[$t]:-$NGINX_PID})" "${IDLE[$t]:-n/a}"
done
awk -v n="$(best <<<"${US[nginx]}")" -v p="$(best <<<"${US[portico]}")" \
  -v q="$(best <<<"${US[portico-nocap]}")" -v k="$(best <<<"${US[portico-1000r]}")" 'BEGIN {
  printf "ratio CPU/request portico/nginx: %.2f (capture on)  %.2f (capture off)  1000 routers/1 router: %.2f\n", p/n, q/n, k/p }'
