#!/usr/bin/env bash
# Routing cost at scale: the same nginx backend behind two Portico instances in one run, one with
# a single Host router and one with 1,000 Host routers (the request names router 777), under the
# same wrk load in interleaved rounds. Prints requests/s, p50, p99, RSS, CPU per request and the
# ratio (target: 1,000 routers within 5% of one router).
#   tests/bench/routers_1000.sh [duration_s=8] [connections=50] [portico binary]
#   CAPTURE='{enabled: false}' tests/bench/routers_1000.sh   # capture off (default: on, defaults)
set -euo pipefail
D=${1:-8}; C=${2:-50}
source "$(dirname "$0")/bench_lib.sh"
CAPTURE=${CAPTURE:-'{}'}
bench_init "${3:-}"
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }

start_backend

host_routers 777 777 $W/one.yaml; host_routers 1 1000 $W/thousand.yaml
start_portico 1-router $W/one.yaml "$CAPTURE"
start_portico 1000-routers $W/thousand.yaml "$CAPTURE"
for p in $B ${PORT[1-router]} ${PORT[1000-routers]}; do waitport $p; done
for t in 1-router 1000-routers; do
  curl -sf -o /dev/null -H 'Host: h777.bench.localhost' http://127.0.0.1:${PORT[$t]}/ \
    || { echo "$t does not answer:"; cat $W/$t/log; exit 1; }
  wrk -t1 -c10 -d1s -H 'Host: h777.bench.localhost' http://127.0.0.1:${PORT[$t]}/ >/dev/null 2>&1
done

ROUNDS=${ROUNDS:-3}
declare -A OUT
measure() { # name
  local before after
  before=$(ticks ${PID[$1]})
  out=$(wrk -t1 -c$C -d${D}s --latency -H 'Host: h777.bench.localhost' http://127.0.0.1:${PORT[$1]}/ 2>&1)
  after=$(ticks ${PID[$1]})
  OUT[$1]+="$(awk -v d=$((after - before)) -v hz=$HZ '/requests in/{n=$1} /Requests\/sec/{r=$2}
    $1=="50%"{p50=$2} $1=="99%"{p99=$2} /Non-2xx|Socket errors/{e=e $0 " "}
    END{printf "%s %s %s %.2f %s\n", r, p50, p99, d * 1e6 / hz / n, e}' <<<"$out")"$'\n'
}
median() { sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}'; }
for round in $(seq "$ROUNDS"); do measure 1-router; measure 1000-routers; done
echo "wrk -t1 -c$C -d${D}s, median of $ROUNDS interleaved runs; capture: $CAPTURE"
declare -A RPS CPU
for t in 1-router 1000-routers; do
  read -r rps p50 p99 us errs <<<"$(printf "%s" "${OUT[$t]}" | median)"
  RPS[$t]=$rps; CPU[$t]=$us
  printf "%-13s %10s rps  p50 %-8s p99 %-8s CPU %6s us/request  RSS %6s MiB %s\n" \
    $t "$rps" "$p50" "$p99" "$us" "$(rss ${PID[$t]})" "$errs"
done
awk -v a="${RPS[1-router]}" -v b="${RPS[1000-routers]}" -v x="${CPU[1-router]}" -v y="${CPU[1000-routers]}" 'BEGIN {
  printf "ratio 1000 routers / 1 router: requests/s %.3f  CPU per request %.3f (target: requests/s >= 0.95)\n", b/a, y/x }'
