#!/usr/bin/env bash
# Issue 6: "start-up to a visible window <= 1 s; idle CPU ~ 0 (no polling timers when nothing
# happens)". On a virtual display with a tray host:
#  1. start-up: RUNS launches of the desktop app; from launch (and from process start, as the
#     kernel dates it) to the main window's first paint (PORTICO_UI_PROBE's `P` line);
#  2. idle: the desktop app (no probe, so no timer of ours runs) and then `portico serve`, each
#     left alone for IDLE seconds after SETTLE seconds: wake-ups (context switches) and CPU per
#     thread, from /proc — a polling timer shows as a thread waking N times a second. Start-up
#     work (the trust-store checks run keytool, a JVM; a notification) is over after SETTLE.
#   tests/bench/ui_idle.sh [idle_s=30] [runs=5] [portico binary]
set -euo pipefail
IDLE=${1:-30}; RUNS=${2:-5}; SETTLE=${SETTLE:-15}
cd "$(dirname "$0")/../.."
BIN=$(realpath "${3:-build/release/app/portico}")
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target portico >/dev/null; }
. tests/bench/ui_common.sh
need_tools Xvfb trayer xdotool nginx

start_display
start_backend
write_config

echo "start-up to the first paint of the main window, $RUNS launches (ms):"
touch $W/startup
for i in $(seq "$RUNS"); do
  start_gui
  read -r proc launch <<<"$(first_paint)"
  echo "$proc $launch" >>$W/startup
  stop_gui
done
stat() { sort -n | awk '{v[NR]=$1} END{printf "median %d, max %d", v[int((NR+1)/2)], v[NR]}'; }
echo "  from launch: $(cut -d' ' -f2 $W/startup | stat);  from process start: $(cut -d' ' -f1 $W/startup | stat)"

# Prints wake-ups/s and CPU per thread of $1 over IDLE seconds, then the totals.
idle_report() {
  local pid=$1 hz; hz=$(getconf CLK_TCK)
  sleep "$SETTLE"
  thread_snapshot $pid >$W/s1; sleep "$IDLE"; thread_snapshot $pid >$W/s2
  join $W/s1 $W/s2 | awk -v s=$IDLE -v hz=$hz '
    { w=$6-$3; c=($7-$4)/hz; name[$2]=$2; wk[$2]+=w; cpu[$2]+=c; n[$2]++; W+=w; C+=c }
    END { for (k in name) printf "    %-20s x%-2d %7.2f wake-ups/s %6.0f ms CPU\n", k, n[k], wk[k]/s, cpu[k]*1000
          printf "  total: %.2f wake-ups/s, CPU %.3f %% of a core\n", W/s, C/s*100 }'
}

# The built-in default configuration (what `portico` runs for a user: dev-server discovery, Docker
# when an engine answers, the API) on free ports, and the benchmark's file configuration.
DEFAULT_ARGS="--port $(freeport) --https-port $(freeport)"
echo "desktop app idle, built-in default configuration ($DEFAULT_ARGS), window open, tray icon,"
echo "capture on; $IDLE s after ${SETTLE} s:"
PROBE=0 GUI_ARGS=$DEFAULT_ARGS start_gui
idle_report $GUI
stop_gui

echo "desktop app idle, file configuration (3 routers), after one request; $IDLE s after ${SETTLE} s:"
PROBE=0 start_gui
curl -s -o /dev/null http://127.0.0.1:$WEB/ || true
idle_report $GUI
stop_gui

serve_idle() { # label, arguments
  echo "portico serve idle, $1; $IDLE s after ${SETTLE} s:"
  shift
  PORTICO_HOME=$W/home "$BIN" serve "$@" >$W/serve.log 2>&1 & SERVE=$!; PIDS+=($SERVE)
  idle_report $SERVE
  echo "  RSS $(rss_mib $SERVE) MiB"
  kill $SERVE; wait $SERVE 2>/dev/null || true
}
serve_idle "built-in default configuration" $DEFAULT_ARGS
serve_idle "file configuration" --config $W/static.yaml
