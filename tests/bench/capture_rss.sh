#!/usr/bin/env bash
# Does the capture budget hold in real memory? Portico in front of nginx serving a mix of 300 B,
# 3 KiB and 100 KiB responses, flooded by wrk while its RSS is sampled every 0.5 s: capture off
# (connection buffers, allocator arenas: the baseline), the ring alone with a small budget, and
# the ring with its SQLite history (whose backlog may hold records the ring already evicted).
# The ring's real cost is its peak RSS minus capture off's, to compare with the budget.
#   tests/bench/capture_rss.sh [budget_MiB=32] [duration_s=20] [connections=50] [portico binary]
set -euo pipefail
MB=${1:-32}; D=${2:-20}; C=${3:-50}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${4:-}"

B=$(freeport); mkdir -p $W/www; chmod 755 $W # nginx workers run as nobody
for f in s:300 m:3000 l:100000; do head -c "${f#*:}" /dev/zero | tr "\\0" x > $W/www/${f%%:*}; done
cat > $W/backend.conf <<CONF
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; default_type application/octet-stream;
  server { listen 127.0.0.1:$B; root $W/www; } }
CONF
nginx -c $W/backend.conf -e $W/b.err & PIDS+=($!)
# Mostly small responses, as a web app's API calls; one in eight large.
cat > $W/mix.lua <<'LUA'
local paths = { "/s", "/s", "/m", "/s", "/l", "/s", "/m", "/s" }
local i = 0
request = function() i = i + 1; return wrk.format("GET", paths[i % #paths + 1]) end
LUA
host_routers 0 0 $W/dyn.yaml

start_portico off $W/dyn.yaml '{enabled: false}'
start_portico ring $W/dyn.yaml "{budget: \"${MB}MiB\", history: {enabled: false}}"
start_portico history $W/dyn.yaml "{budget: \"${MB}MiB\"}"
for p in $B ${PORT[off]} ${PORT[ring]} ${PORT[history]}; do waitport $p; done
for n in off ring history; do curl -sf -o /dev/null http://127.0.0.1:${PORT[$n]}/s || { cat $W/$n/log; exit 1; }; done
sleep 1

echo "wrk -t1 -c$C -d${D}s per process, one at a time; budget ${MB} MiB; RSS sampled every 0.5 s"
declare -A PEAK
for n in off ring history; do
  idle=$(rss ${PID[$n]}); peak=$idle
  wrk -t1 -c$C -d${D}s -s $W/mix.lua http://127.0.0.1:${PORT[$n]}/ > $W/$n.wrk 2>&1 & w=$!
  while kill -0 $w 2>/dev/null; do
    r=$(rss ${PID[$n]}); peak=$(awk -v a=$peak -v b=$r 'BEGIN{print (b > a ? b : a)}'); sleep 0.5
  done
  sleep 2 # the history writer catches up; the ring stays full
  PEAK[$n]=$peak
  printf "%-8s idle %7s MiB  peak %7s MiB  after %7s MiB  %s req/s\n" $n $idle $peak \
    "$(rss ${PID[$n]})" "$(awk '/Requests\/sec/{print $2}' $W/$n.wrk)"
done
for n in ring history; do
  awk -v a=${PEAK[$n]} -v b=${PEAK[off]} -v m=$MB -v n=$n \
    'BEGIN{printf "%-8s capture costs %.1f MiB of RSS for a %d MiB budget (%.2f x)\n", n, a-b, m, (a-b)/m}'
done
