#!/usr/bin/env bash
# HTTP/2 reverse-proxy benchmark on loopback, h2c (prior knowledge) and h2 over TLS 1.3 (ALPN,
# the same ECDSA P-256 certificate for both): the same nginx backend behind nginx (2 workers,
# `listen ... http2`, upstream keepalive) and behind `portico serve` (2 engine threads, default
# capture on), under the same h2load load. Prints requests/s and errors, median of ROUNDS
# interleaved runs, and the ratios. CAPTURE='{enabled: false}' measures without the inspector.
#   tests/bench/h2_vs_nginx.sh [duration_s=8] [clients=10] [streams=10] [portico binary]
set -euo pipefail
D=${1:-8}; C=${2:-10}; M=${3:-10}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${4:-}"

N=$(freeport); P=$(freeport); NT=$(freeport); PT=$(freeport)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench.localhost \
  -addext subjectAltName=DNS:bench.localhost -keyout $W/key.pem -out $W/cert.pem 2>/dev/null
temp="client_body_temp_path $W/cb; proxy_temp_path $W/pt; fastcgi_temp_path $W/ft; uwsgi_temp_path $W/ut; scgi_temp_path $W/st;"
NGINX_TEMP=$temp start_backend
cat > $W/nginx.conf <<CONF
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; $temp
  upstream b { server 127.0.0.1:$B; keepalive 64; }
  server { listen 127.0.0.1:$N http2; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Host \$host; } }
  server { listen 127.0.0.1:$NT ssl http2; ssl_certificate $W/cert.pem; ssl_certificate_key $W/key.pem;
    ssl_protocols TLSv1.3; location / { proxy_pass http://b; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_set_header Host \$host; } } }
CONF
nginx -c $W/nginx.conf -e $W/n.err & PIDS+=($!)
cat > $W/dynamic.yaml <<CONF
http:
  routers:
    all: {rule: 'PathPrefix(\`/\`)', service: backend}
  services:
    backend: {loadBalancer: {servers: [{url: "http://127.0.0.1:$B"}]}}
tls:
  stores:
    default: {defaultCertificate: {certFile: "$W/cert.pem", keyFile: "$W/key.pem"}}
CONF
cat > $W/static.yaml <<CONF
entryPoints:
  web: {address: "127.0.0.1:$P"}
  websecure: {address: "127.0.0.1:$PT", http: {tls: {}}}
providers:
  file: {filename: "$W/dynamic.yaml"}
portico:
  engineThreads: 2
  capture: ${CAPTURE:-"{}"}
CONF
PORTICO_HOME=$W/home "$BIN" serve --config $W/static.yaml >$W/p.log 2>&1 & PIDS+=($!)
for p in $B $N $P $NT $PT; do waitport $p; done
curl -sf --http2-prior-knowledge -o /dev/null http://127.0.0.1:$P/ || { echo "portico does not answer:"; cat $W/p.log; exit 1; }

ROUNDS=${ROUNDS:-3}
declare -A OUT
measure() { # name url
  OUT[$1]+="$(h2load -D $D -c$C -m$M -t1 $2 2>&1 | awk '
    /^finished in/{r=$4} /^requests:/{e=$10" failed "$12" errored"}
    END{printf "%s %s\n", r, e}')"$'\n'
}
median() { sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}'; }
declare -A URL=([nginx]=http://127.0.0.1:$N/ [portico]=http://127.0.0.1:$P/
  [nginx-tls]=https://127.0.0.1:$NT/ [portico-tls]=https://127.0.0.1:$PT/)
NAMES="nginx portico nginx-tls portico-tls"
for name in $NAMES; do h2load -D 1 -c$C -m$M -t1 ${URL[$name]} >/dev/null 2>&1; done  # warm-up
for round in $(seq "$ROUNDS"); do for name in $NAMES; do measure $name ${URL[$name]}; done; done
echo "h2load -D $D -c$C -m$M -t1 (h2c and h2 over TLS 1.3), median of $ROUNDS interleaved runs; 2 cores shared by h2load, backend and proxy"
declare -A RPS
for name in $NAMES; do
  row=$(printf "%s" "${OUT[$name]}" | median)
  read -r rps rest <<<"$row"
  RPS[$name]=$rps
  printf "%-10s %12s req/s   %s\n" "$name" "$rps" "$rest"
done
awk -v p="${RPS[portico]}" -v n="${RPS[nginx]}" 'BEGIN{ if (n > 0) printf "h2c: portico / nginx = %.2f\n", p / n }'
awk -v p="${RPS[portico-tls]}" -v n="${RPS[nginx-tls]}" 'BEGIN{ if (n > 0) printf "h2 over TLS: portico / nginx = %.2f\n", p / n }'
