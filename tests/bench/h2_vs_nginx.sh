#!/usr/bin/env bash
# HTTP/2 reverse-proxy benchmark on loopback (h2c, prior knowledge): the same nginx backend behind
# nginx (2 workers, `listen ... http2`, upstream keepalive) and behind `portico serve` (2
# engine threads), under the same h2load load. Prints requests/s and errors, median of ROUNDS
# interleaved runs, and the ratio. TLS (ALPN h2) figures come from /work/shared/tools/tls-peers.sh.
#   tests/bench/h2_vs_nginx.sh [duration_s=8] [clients=10] [streams=10] [portico binary]
set -euo pipefail
D=${1:-8}; C=${2:-10}; M=${3:-10}
cd "$(dirname "$0")/../.."
BIN=${4:-build/release/app/portico}
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release >/dev/null; }
W=$(mktemp -d); PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
waitport() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

B=$(freeport); N=$(freeport); P=$(freeport)
temp="client_body_temp_path $W/cb; proxy_temp_path $W/pt; fastcgi_temp_path $W/ft; uwsgi_temp_path $W/ut; scgi_temp_path $W/st;"
cat > $W/backend.conf <<CONF
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; $temp
  server { listen 127.0.0.1:$B; location / { return 200 "hello from backend\n"; } } }
CONF
cat > $W/nginx.conf <<CONF
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; $temp
  upstream b { server 127.0.0.1:$B; keepalive 64; }
  server { listen 127.0.0.1:$N http2; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Host \$host; } } }
CONF
nginx -c $W/backend.conf -e $W/b.err & PIDS+=($!)
nginx -c $W/nginx.conf -e $W/n.err & PIDS+=($!)
cat > $W/dynamic.yaml <<CONF
http:
  routers:
    all: {rule: 'PathPrefix(\`/\`)', service: backend}
  services:
    backend: {loadBalancer: {servers: [{url: "http://127.0.0.1:$B"}]}}
CONF
PORTICO_HOME=$W/home "$BIN" serve --threads 2 --entryPoints.web.address=127.0.0.1:$P \
  --providers.file.filename=$W/dynamic.yaml >$W/p.log 2>&1 & PIDS+=($!)
for p in $B $N $P; do waitport $p; done
curl -sf --http2-prior-knowledge -o /dev/null http://127.0.0.1:$P/ || { echo "portico does not answer:"; cat $W/p.log; exit 1; }

ROUNDS=${ROUNDS:-3}
declare -A OUT
measure() { # name port
  OUT[$1]+="$(h2load -D $D -c$C -m$M -t1 http://127.0.0.1:$2/ 2>&1 | awk '
    /^finished in/{r=$4} /^requests:/{e=$10" failed "$12" errored"}
    END{printf "%s %s\n", r, e}')"$'\n'
}
median() { sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}'; }
for port in $N $P; do h2load -D 1 -c$C -m$M -t1 http://127.0.0.1:$port/ >/dev/null 2>&1; done  # warm-up
for round in $(seq "$ROUNDS"); do measure nginx $N; measure portico $P; done
echo "h2load -D $D -c$C -m$M -t1 (h2c), median of $ROUNDS interleaved runs; 2 cores shared by h2load, backend and proxy"
declare -A RPS
for name in nginx portico; do
  row=$(printf "%s" "${OUT[$name]}" | median)
  read -r rps rest <<<"$row"
  RPS[$name]=$rps
  printf "%-10s %12s req/s   %s\n" "$name" "$rps" "$rest"
done
awk -v p="${RPS[portico]}" -v n="${RPS[nginx]}" 'BEGIN{ if (n > 0) printf "portico / nginx = %.2f\n", p / n }'
