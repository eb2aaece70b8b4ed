#!/usr/bin/env bash
# Side-by-side HTTP/1.1 reverse-proxy benchmark on loopback: the same nginx backend behind nginx
# (2 workers, upstream keepalive) and behind Portico (2 engine threads), under the same wrk load.
# Also Portico with 1,000 host-rule routers. Prints requests/s, p50, p99, RSS and ratios.
#   tests/bench/proxy_vs_nginx.sh [duration_s=8] [connections=50] [portico binary]
set -euo pipefail
D=${1:-8}; C=${2:-50}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${3:-}"

start_backend; start_nginx_proxy

host_routers 0 0 $W/one.yaml; host_routers 1 1000 $W/thousand.yaml
start_portico portico $W/one.yaml '{}'                       # capture on, its defaults
start_portico portico-nocap $W/one.yaml '{enabled: false}'  # capture off
start_portico portico-1000r $W/thousand.yaml '{}'
P1=${PORT[portico]}; P0=${PORT[portico-nocap]}; P1000=${PORT[portico-1000r]}
P1_PID=${PID[portico]}
for p in $B $N $P1 $P0 $P1000; do waitport $p; done
curl -sf -o /dev/null http://127.0.0.1:$P1/ || { echo "portico does not answer:"; cat $W/portico/log; exit 1; }
sleep 0.5
IDLE=$(rss $P1_PID)

# Each target runs ROUNDS times, interleaved, so drift on a shared machine hits all of them alike;
# the table shows each one's median run.
ROUNDS=${ROUNDS:-3}
declare -A OUT
measure() { # name port [host]
  local h=(); [ -n "${3:-}" ] && h=(-H "Host: $3")
  OUT[$1]+="$(wrk -t1 -c$C -d${D}s --latency "${h[@]}" http://127.0.0.1:$2/ 2>&1 | awk '
    /Requests\/sec/{r=$2} $1=="50%"{p50=$2} $1=="99%"{p99=$2} /Non-2xx|Socket errors/{e=e $0 " "}
    END{printf "%s %s %s %s\n", r, p50, p99, e}')"$'\n'
}
median() { sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}'; }
for t in "direct $B" "nginx $N" "portico $P1" "portico-nocap $P0" "portico-1000r $P1000 h777.bench.localhost"; do
  set -- $t; wrk -t1 -c10 -d1s ${3:+-H "Host: $3"} http://127.0.0.1:$2/ >/dev/null 2>&1   # warm-up
done
for round in $(seq "$ROUNDS"); do
  measure nginx $N; measure portico $P1; measure portico-nocap $P0
  measure portico-1000r $P1000 h777.bench.localhost
done
measure direct $B
echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS interleaved runs; 2 cores shared by wrk, backend and proxy"
echo "portico and portico-1000r: capture ON (defaults: ring + SQLite history); portico-nocap: capture OFF"
declare -A RPS
for name in direct nginx portico portico-nocap portico-1000r; do
  row=$(printf "%s" "${OUT[$name]}" | median)
  read -r rps p50 p99 errs <<<"$row"
  RPS[$name]=$rps
  pid=""; case $name in nginx) pid=$NGINX_PID;; portico*) pid=${PID[$name]};; esac
  printf "%-14s %10s rps  p50 %-8s p99 %-8s RSS %6s MiB %s\n" "$name" "$rps" "$p50" "$p99" \
    "${pid:+$(rss $pid)}" "$errs"
done
echo "portico idle RSS: $IDLE MiB"
awk -v p="${RPS[portico]}" -v q="${RPS[portico-nocap]}" -v n="${RPS[nginx]}" -v k="${RPS[portico-1000r]}" 'BEGIN {
  printf "ratio portico/nginx: %.2f (capture on)  %.2f (capture off)   1000 routers vs 1 router: %.2f\n", p/n, q/n, k/p }'
