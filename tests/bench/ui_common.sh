# Shared by tests/bench/ui_*.sh (sourced, not run): a virtual display with a tray host, an nginx
# backend, a Portico configuration routing to it, the desktop app started with its event-loop
# probe (PORTICO_UI_PROBE, ui/shell/event_loop_probe.h), and readers of what the probe wrote.
# Needs: Xvfb, trayer, xdotool, nginx (Debian packages xvfb trayer xdotool nginx).

W=$(mktemp -d); PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "work dir kept: $W" || rm -rf "$W"
}
trap cleanup EXIT

need_tools() {
  local missing=()
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || { echo "missing: ${missing[*]} (apt-get install xvfb trayer xdotool nginx nghttp2-client)" >&2; exit 1; }
}
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }
now_ms() { date +%s%3N; }
rss_mib() { awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }

# A virtual screen (DISPLAY exported) with trayer as the system-tray host.
start_display() {
  local d=$(( 100 + RANDOM % 400 ))
  Xvfb :$d -screen 0 ${SIZE:-1280x800}x24 -nolisten tcp >/dev/null 2>&1 & PIDS+=($!)
  for _ in $(seq 100); do [ -e /tmp/.X11-unix/X$d ] && break; sleep 0.05; done
  export DISPLAY=:$d
  trayer --edge bottom --align right --widthtype request --height 28 >/dev/null 2>&1 & PIDS+=($!)
  sleep 0.3
}

# nginx on BACKEND answering a small body, like the proxy benchmarks.
start_backend() {
  BACKEND=$(freeport)
  cat > $W/backend.conf <<CONF
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$BACKEND;
    location / { default_type application/json; return 200 '{"ok":true,"from":"backend"}\n'; } } }
CONF
  nginx -c $W/backend.conf -e $W/b.err & PIDS+=($!)
  waitport $BACKEND
}

# Portico's static + dynamic configuration: entry point `web` on WEB, a catch-all router to the
# backend and a few host routers, capture with its defaults (what a user gets).
write_config() {
  WEB=$(freeport)
  mkdir -p $W/home
  cat > $W/dyn.yaml <<YAML
http:
  routers:
    all: {rule: "PathPrefix(\`/\`)", service: backend, priority: 1}
    shop: {rule: "Host(\`shop.localhost\`)", service: backend}
    api: {rule: "Host(\`api.localhost\`) && PathPrefix(\`/v1\`)", service: backend}
  services:
    backend:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:$BACKEND"}]
YAML
  cat > $W/static.yaml <<YAML
entryPoints:
  web: {address: "127.0.0.1:$WEB"}
providers:
  file: {filename: "$W/dyn.yaml"}
portico:
  engineThreads: 2
YAML
  # BUDGET=32MiB: a smaller capture ring (default 256 MiB), to see the memory level off sooner.
  [ -z "${BUDGET:-}" ] || printf '  capture: {budget: "%s"}\n' "$BUDGET" >>$W/static.yaml
}

# Starts the desktop app with the probe writing to $W/probe (PROBE=0: without it, so no timer
# runs; GUI_ARGS: other arguments than the benchmark's configuration); GUI = its pid, LAUNCH_MS = when; returns once the window has painted.
start_gui() {
  rm -f $W/probe
  local probe=$W/probe; [ "${PROBE:-1}" = 0 ] && probe=
  LAUNCH_MS=$(now_ms)
  PORTICO_HOME=$W/home PORTICO_INSTANCE=portico-bench-$$ PORTICO_UI_PROBE=$probe \
    "$BIN" gui ${GUI_ARGS:---config $W/static.yaml} >$W/gui.log 2>&1 & GUI=$!; PIDS+=($GUI)
  for _ in $(seq 200); do
    if [ -n "$probe" ]; then grep -q '^P ' $W/probe 2>/dev/null && return 0
    else grep -q 'window visible' $W/gui.log && return 0; fi
    sleep 0.05
  done
  echo "the window never painted; log:" >&2; cat $W/gui.log >&2; exit 1
}

# Ends the app as the desktop would (SIGTERM: a graceful quit); the probe then writes its summary.
stop_gui() {
  kill -TERM $GUI 2>/dev/null || true
  for _ in $(seq 200); do kill -0 $GUI 2>/dev/null || break; sleep 0.05; done
  wait $GUI 2>/dev/null || true
}

# Shows page N (1 = Services, 2 = Requests, …) with its Ctrl+N shortcut, as a user would.
# (Qt also maps an invisible helper window with the same title: ask for the visible one.)
main_window() { xdotool search --sync --onlyvisible --limit 1 --name '^Portico$'; }
show_page() {
  xdotool windowfocus --sync "$(main_window)" 2>/dev/null || true
  xdotool key --clearmodifiers "ctrl+$1"
}

# The probe's samples between two epoch-ms instants: "n p50 p99 max" in ms, of the lateness
# (column 3, the default) or of the GUI thread's own CPU in that wait (column 4).
latency_between() {
  awk -v a="$1" -v b="$2" -v c="${3:-3}" '$1=="L" && $2>=a && $2<=b {print $c}' $W/probe | sort -n | awk '
    {v[NR]=$1} END { if (NR==0) {print "0 - - -"; exit}
      i50=int(NR*0.50)+1; i99=int(NR*0.99)+1; if (i99>NR) i99=NR;
      printf "%d %.2f %.2f %.2f\n", NR, v[i50]/1000, v[i99]/1000, v[NR]/1000 }'
}
# The probe's RSS (MiB) nearest before an epoch-ms instant.
rss_at() { awk -v t="$1" '$1=="M" && $2<=t {r=$3} END{printf "%.1f", r/1024}' $W/probe; }
# Process-start-to-first-paint in ms as the probe saw it, and as measured from the launch.
first_paint() { awk -v l="$LAUNCH_MS" '$1=="P" {printf "%d %d\n", $3, $2-l; exit}' $W/probe; }
# Per thread of process $1: "tid name context-switches cpu-ticks" (a context switch ~ a wake-up).
thread_snapshot() {
  for t in /proc/$1/task/*; do
    printf "%s %s %s %s\n" "${t##*/}" "$(tr ' ' _ <$t/comm)" \
      "$(awk '/voluntary_ctxt_switches/{s+=$2} END{print s}' $t/status)" \
      "$(awk '{sub(/.*\) /,""); print $12+$13}' $t/stat)"
  done 2>/dev/null | sort
}
# CPU seconds (user+system) of one thread of the app.
thread_cpu_s() { awk -v hz=$(getconf CLK_TCK) '{sub(/.*\) /,""); printf "%.2f", ($12+$13)/hz}' /proc/$1/task/$2/stat; }
