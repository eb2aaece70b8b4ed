#!/usr/bin/env bash
# TLS termination benchmark on loopback (a benchmark, not a test): new TLS connections per second
# (wrk, `Connection: close`, so every request is a full handshake) through nginx with an ECDSA
# P-256 certificate and through Portico (2 engine threads, leaf from its local CA), both in front
# of the same nginx backend; then the extra latency of a first handshake for a never-seen name
# (on-demand issuance) against a name that already has a leaf, from curl's time_appconnect.
#   tests/bench/tls_vs_nginx.sh [duration_s=8] [connections=20] [portico binary] [names=20]
set -euo pipefail
D=${1:-8}; C=${2:-20}; NAMES=${4:-20}
source "$(dirname "$0")/bench_lib.sh"
bench_init "${3:-}"
# wrk resolves through glibc, which does not know *.localhost: it connects to 127.0.0.1 (no SNI),
# so both servers present a certificate for the address.

start_backend; N=$(freeport); P=$(freeport)
openssl ecparam -name prime256v1 -genkey -noout -out $W/leaf.key
openssl req -x509 -new -key $W/leaf.key -subj "/CN=app.localhost" -days 30 \
  -addext "subjectAltName=DNS:app.localhost,IP:127.0.0.1" -out $W/leaf.pem 2>/dev/null
cat > $W/nginx.conf <<CONF
worker_processes 2; daemon off; pid $W/n.pid; error_log $W/n.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream b { server 127.0.0.1:$B; keepalive 64; }
  server { listen 127.0.0.1:$N ssl; ssl_certificate $W/leaf.pem; ssl_certificate_key $W/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;
    location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; } } }
CONF
cat > $W/static.yaml <<CONF
entryPoints:
  websecure:
    address: "127.0.0.1:$P"
    http:
      tls: {}
providers:
  file:
    filename: $W/dynamic.yaml
CONF
cat > $W/dynamic.yaml <<CONF
http:
  routers:
    all: {rule: 'PathPrefix(\`/\`)', service: backend}
  services:
    backend:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:$B"}]
CONF
nginx -c $W/nginx.conf -e $W/n.err & PIDS+=($!)
PORTICO_HOME=$W/home "$BIN" serve --threads 2 --configFile=$W/static.yaml >$W/p.log 2>&1 & PIDS+=($!)
for p in $B $N $P; do waitport $p; done
CA=$W/home/ca/ca.pem
curl -sf --cacert $CA --resolve app.localhost:$P:127.0.0.1 -o /dev/null https://app.localhost:$P/ \
  || { echo "portico does not answer over TLS:"; cat $W/p.log; exit 1; }

hs() { # name port : requests/s with one new TLS connection per request
  wrk -t1 -c$C -d${D}s -H "Connection: close" https://127.0.0.1:$2/ 2>&1 \
    | awk -v n="$1" '/Requests\/sec/{r=$2} /Non-2xx|Socket errors/{e=e $0 " "} END{printf "%-8s %10s new TLS conn/s %s\n", n, r, e}'
}
echo "== new TLS connections per second (wrk -c$C -d${D}s, Connection: close, TLS 1.3, P-256)"
NG=$(hs nginx $N); PO=$(hs portico $P); echo "$NG"; echo "$PO"
awk -v a="$(echo "$PO" | awk '{print $2}')" -v b="$(echo "$NG" | awk '{print $2}')" \
  'BEGIN{printf "portico/nginx: %.2f\n", a/b}'

appconnect() { # host → seconds until the TLS handshake completed
  curl -s -o /dev/null -w '%{time_appconnect}' --cacert $CA --resolve $1:$P:127.0.0.1 https://$1:$P/
}
echo "== first handshake for a never-seen name vs a known one ($NAMES names, curl time_appconnect)"
for i in $(seq 1 $NAMES); do
  new=$(appconnect "n$i-$RANDOM.localhost"); known=$(appconnect app.localhost)
  awk -v a="$new" -v b="$known" 'BEGIN{printf "%.3f\n", (a-b)*1000}'
done | sort -n | awk '{a[++n]=$1; s+=$1} END{
  printf "extra latency of a first handshake: mean %.2f ms, median %.2f ms, max %.2f ms\n", s/n, a[int((n+1)/2)], a[n]}'
grep -o 'issued a leaf for "[^"]*" in [0-9.]* ms' $W/p.log | awk '{s+=$(NF-1); n++} END{if(n) printf "issuance on the control thread: mean %.2f ms over %d leaves\n", s/n, n}'
