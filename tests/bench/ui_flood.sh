#!/usr/bin/env bash
# Issue 6: "the UI never waits on the core: at a 2,000 requests/s flood through the proxy the
# window stays responsive and memory stays bounded". Starts the desktop app on a virtual display
# (Xvfb + tray host) with capture on (defaults) and the Requests page visible and following, then
# drives a paced load through the proxy (h2load --rps: open-loop, so a slow proxy cannot slow the
# offered rate down) and prints the GUI event loop's lateness (PORTICO_UI_PROBE: a precise 10 ms
# timer on the GUI thread, how late it ran) before, during and after the flood, the GUI thread's
# CPU, and the process's RSS.
#   tests/bench/ui_flood.sh [rate=2000] [seconds=20] [portico binary]
# BUDGET=32MiB: a smaller capture ring than the default 256 MiB (RSS levels off within the run).
set -euo pipefail
RATE=${1:-2000}; D=${2:-20}
cd "$(dirname "$0")/../.."
BIN=$(realpath "${3:-build/release/app/portico}")
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target portico >/dev/null; }
. tests/bench/ui_common.sh
need_tools Xvfb trayer xdotool nginx h2load
C=20 # connections, each paced at RATE/C requests/s

start_display
start_backend
write_config
start_gui
read -r PAINT_PROC PAINT_LAUNCH <<<"$(first_paint)"
waitport $WEB
curl -sf -o /dev/null http://127.0.0.1:$WEB/ || { cat $W/gui.log; exit 1; }
show_page 2 # Requests: the live table follows the newest rows
sleep 3
IDLE_FROM=$(now_ms); sleep 3; IDLE_TO=$(now_ms)

GUI_CPU0=$(thread_cpu_s $GUI $GUI); ALL_CPU0=$(awk -v hz=$(getconf CLK_TCK) '{sub(/.*\) /,""); print ($12+$13)/hz}' /proc/$GUI/stat)
FLOOD_FROM=$(now_ms)
h2load --h1 -t 1 -c $C --rps $(( RATE / C )) -D $D http://127.0.0.1:$WEB/flood >$W/h2load.out 2>&1 || true
FLOOD_TO=$(now_ms)
GUI_CPU1=$(thread_cpu_s $GUI $GUI); ALL_CPU1=$(awk -v hz=$(getconf CLK_TCK) '{sub(/.*\) /,""); print ($12+$13)/hz}' /proc/$GUI/stat)
RSS_FLOOD_END=$(rss_mib $GUI)
sleep 3; AFTER_FROM=$(now_ms); sleep 3; AFTER_TO=$(now_ms)
RSS_END=$(rss_mib $GUI)
import -window root $W/flood.png 2>/dev/null || true
stop_gui

SERVED=$(awk '/^requests:/{print $8}' $W/h2load.out)
ACHIEVED=$(awk '/^finished in/{print $4}' $W/h2load.out)
STATUS=$(awk '/^status codes:/{print $3, $4}' $W/h2load.out)
SECS=$(awk -v a=$FLOOD_FROM -v b=$FLOOD_TO 'BEGIN{print (b-a)/1000}')
echo "desktop app under a paced flood: h2load --h1 -c $C --rps $(( RATE / C )) -D $D (offered $RATE req/s)"
echo "  served: ${SERVED:-?} requests ok, ${ACHIEVED:-?} req/s, status ${STATUS:-?}; capture on (ring budget ${BUDGET:-256MiB, the default}); Requests page visible"
echo "  start-up: window painted $PAINT_LAUNCH ms after launch ($PAINT_PROC ms after process start)"
printf "  %-28s %8s %9s %9s %9s\n" "event-loop lateness (ms)" samples p50 p99 max
for phase in "idle before:$IDLE_FROM:$IDLE_TO" "during the flood:$((FLOOD_FROM + 1000)):$FLOOD_TO" "idle after:$AFTER_FROM:$AFTER_TO"; do
  IFS=: read -r name a b <<<"$phase"
  read -r n p50 p99 max <<<"$(latency_between $a $b)"
  read -r _ b50 b99 bmax <<<"$(latency_between $a $b 4)"
  printf "  %-28s %8s %9s %9s %9s   GUI thread busy in those waits: p99 %s, max %s\n" \
    "$name" "$n" "$p50" "$p99" "$max" "$b99" "$bmax"
done
echo "  (lateness well above the busy time = the GUI thread waited for a free core, not for Portico)"
awk -v g0=$GUI_CPU0 -v g1=$GUI_CPU1 -v a0=$ALL_CPU0 -v a1=$ALL_CPU1 -v s=$SECS 'BEGIN{
  printf "  CPU during the flood: GUI thread %.0f %% of a core, whole process %.0f %%\n", (g1-g0)/s*100, (a1-a0)/s*100 }'
echo "  RSS (MiB): start $(rss_at $((LAUNCH_MS + 2000))), before flood $(rss_at $FLOOD_FROM), flood end $RSS_FLOOD_END, 6 s after $RSS_END"
echo "  RSS during the flood (MiB, every 5 s): $(awk -v a=$FLOOD_FROM -v b=$FLOOD_TO '$1=="M" && $2>=a && $2<=b && ($2-a)>=k*5000 {printf "%.0f ", $3/1024; k++}' $W/probe)"
echo "  most painted widgets over the whole run (paint events):"
awk '$1=="W" {printf "    %6d  %s\n", $2, substr($0, index($0, $3))}' $W/probe | head -${PAINTS:-8}
[ -n "${SHOT:-}" ] && cp $W/flood.png "$SHOT" && echo "  screen at the end of the flood: $SHOT"
grep -E 'warn|error|critical' -i $W/gui.log | head -5 || true
