# Shared by the benchmark scripts (sourced, not run): a scratch directory cleaned up at exit,
# free loopback ports, and nginx as the backend and as the reverse proxy Portico is compared with.
#   source "$(dirname "$0")/bench_lib.sh"; bench_init "${3:-}"

# bench_init [portico binary]: repository root as the working directory, BIN built if missing,
# $W a scratch directory, every PID in PIDS killed at exit.
bench_init() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  BIN=${1:-build/release/app/portico}
  [ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release >/dev/null; }
  W=$(mktemp -d); PIDS=(); declare -gA PORT PID
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() {
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done
  echo "port $1 never opened" >&2; exit 1
}
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }

# start_backend: nginx answering 200 "hello from backend" on port $B (one worker).
start_backend() {
  B=$(freeport)
  cat > $W/backend.conf <<CONF
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; ${NGINX_TEMP:-}
  server { listen 127.0.0.1:$B; location / { return 200 "hello from backend\n"; } } }
CONF
  nginx -c $W/backend.conf -e $W/b.err & PIDS+=($!)
}

# start_nginx_proxy: nginx (2 workers, upstream keep-alive) in front of $B on port $N;
# NGINX_PID is its master.
start_nginx_proxy() {
  N=$(freeport)
  cat > $W/nginx.conf <<CONF
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream b { server 127.0.0.1:$B; keepalive 64; }
  server { listen 127.0.0.1:$N; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Host \$host; } } }
CONF
  nginx -c $W/nginx.conf -e $W/n.err & PIDS+=($!); NGINX_PID=$!
}

# host_routers FIRST LAST FILE: dynamic configuration with Host routers rFIRST..rLAST to $B;
# host_routers 0 0 FILE: one PathPrefix(`/`) router instead.
host_routers() {
  { echo "http:"; echo "  services:"; echo "    backend:"; echo "      loadBalancer:"
    echo "        servers:"; echo "          - url: http://127.0.0.1:$B"; echo "  routers:"
    if [ "$1" = 0 ]; then echo "    all: {rule: 'PathPrefix(\`/\`)', service: backend}"
    else for i in $(seq "$1" "$2"); do echo "    r$i: {rule: 'Host(\`h$i.bench.localhost\`)', service: backend}"; done; fi
  } > "$3"
}

# start_portico NAME DYNAMIC_FILE CAPTURE_YAML: `portico serve` on a free port (PORT[NAME]) with 2
# engine threads, the file provider and capture settings CAPTURE_YAML ('{}' = the defaults,
# '{enabled: false}' = off); PID[NAME] is its pid, $W/NAME its PORTICO_HOME (history out of ~).
start_portico() {
  local p; p=$(freeport); PORT[$1]=$p; mkdir -p $W/$1
  printf 'entryPoints:\n  web: {address: "127.0.0.1:%s"}\nproviders:\n  file: {filename: "%s"}\nportico:\n  engineThreads: 2\n  capture: %s\n' \
    $p "$2" "$3" > $W/$1/static.yaml
  PORTICO_HOME=$W/$1 "$BIN" serve --config $W/$1/static.yaml >$W/$1/log 2>&1 & PIDS+=($!); PID[$1]=$!
}
