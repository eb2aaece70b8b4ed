#!/usr/bin/env bash
# The README's screenshots: the desktop app on a virtual display with a tray host (Xvfb + trayer,
# as ../shared/tools/screenshot.sh does), a realistic demo (nginx backends for a shop, an API with
# middlewares, docs, a backend that is down, a router with a configuration error; HTTP and HTTPS
# traffic through Portico), then each page and the open tray menu, driven like a user would
# (Ctrl+N for pages, clicks with xdotool). Look at every PNG before keeping it.
#   tests/bench/ui_screenshots.sh [out dir=ui/screenshots] [portico binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$(realpath -m "${1:-ui/screenshots}"); mkdir -p "$OUT"
BIN=$(realpath "${2:-build/release/app/portico}")
[ -x "$BIN" ] || { cmake --preset release >/dev/null && cmake --build --preset release --target portico >/dev/null; }
. tests/bench/ui_common.sh
need_tools Xvfb trayer xdotool nginx import curl

# A short, readable directory: file:line errors and the CA's path show it in the pictures.
rm -rf "$W"; W=/tmp/portico-demo; rm -rf $W; mkdir -p $W; chmod 755 $W
start_display
SHOP=$(freeport); API=$(freeport); DOCS=$(freeport); DOWN=$(freeport)
WEB=$(freeport); WEBSECURE=$(freeport)
mkdir -p $W/www $W/home; chmod 755 $W/www # nginx's workers read it
printf '<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1><p>Spring sale</p></body></html>\n' >$W/www/index.html
convert -size 64x64 gradient:'#3b7dd8-#7fd0a0' $W/www/logo.png 2>/dev/null || true
cat > $W/backends.conf <<CONF
worker_processes 1; daemon off; pid $W/b.pid; error_log $W/b.err;
events { worker_connections 256; }
http { access_log off; include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$SHOP; root $W/www;
    location = /api/cart { default_type application/json;
      return 200 '{"items":[{"sku":"TEE-42","name":"T-shirt","qty":2,"price":19.9}],"total":39.8}'; }
    location /checkout { return 302 /login; } }
  server { listen 127.0.0.1:$API; default_type application/json;
    location = /health { return 200 'ok'; }
    location /users { return 200 '[{"id":1,"name":"Ada","role":"admin"},{"id":2,"name":"Linus","role":"dev"}]'; }
    location /orders { return 201 '{"id":1042,"status":"created"}'; }
    location / { return 404 '{"error":"not found"}'; } }
  server { listen 127.0.0.1:$DOCS; location / { default_type text/plain; return 200 'docs'; } } }
CONF
nginx -c $W/backends.conf -e $W/b.err & PIDS+=($!)
for p in $SHOP $API $DOCS; do waitport $p; done

cat > $W/routes.yaml <<YAML
http:
  routers:
    shop:
      rule: "Host(\`shop.localhost\`)"
      service: shop
    shop-secure:
      rule: "Host(\`shop.localhost\`)"
      entryPoints: [websecure]
      service: shop
      tls: {}
    api:
      rule: "Host(\`api.localhost\`) && PathPrefix(\`/v1\`)"
      service: api
      middlewares: [strip-v1, api-headers]
    docs:
      rule: "Host(\`docs.localhost\`)"
      service: docs
    legacy:
      rule: "Host(\`legacy.localhost\`)"
      service: legacy
    admin:
      rule: "Host(\`admin.localhost\`)"
      service: api
      middlewares: [admin-auth]
    grafana:
      rule: "Host(\`grafana.localhost\`)"
      service: grafana
  middlewares:
    strip-v1:
      stripPrefix: {prefixes: ["/v1"]}
    api-headers:
      headers:
        customRequestHeaders: {X-Api-Client: "portico-demo"}
        customResponseHeaders: {X-Served-By: "api"}
  services:
    shop:
      loadBalancer: {servers: [{url: "http://127.0.0.1:$SHOP"}]}
    api:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:$API"}]
        healthCheck: {path: /health, interval: 10s}
    docs:
      loadBalancer: {servers: [{url: "http://127.0.0.1:$DOCS"}]}
    legacy:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:$DOWN"}]
        healthCheck: {path: /health, interval: 10s}
YAML
cat > $W/static.yaml <<YAML
entryPoints:
  web: {address: "127.0.0.1:$WEB"}
  websecure: {address: "127.0.0.1:$WEBSECURE", http: {tls: {}}}
providers:
  file: {filename: "$W/routes.yaml"}
YAML

PROBE=0 start_gui
waitport $WEB
sleep 1
# Some traffic, as a browser and a script would send it.
c() { curl -s -o /dev/null --max-time 5 "$@" || true; }
R="--resolve shop.localhost:$WEB:127.0.0.1 --resolve api.localhost:$WEB:127.0.0.1 --resolve docs.localhost:$WEB:127.0.0.1 --resolve legacy.localhost:$WEB:127.0.0.1 --resolve admin.localhost:$WEB:127.0.0.1 --resolve shop.localhost:$WEBSECURE:127.0.0.1"
UA='Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'
c $R -A "$UA" http://shop.localhost:$WEB/
c $R -A "$UA" http://shop.localhost:$WEB/logo.png
c $R -A "$UA" http://shop.localhost:$WEB/api/cart
c $R -k -A "$UA" https://shop.localhost:$WEBSECURE/checkout
c $R http://api.localhost:$WEB/v1/users -H 'Accept: application/json'
c $R -X POST http://api.localhost:$WEB/v1/orders -H 'Content-Type: application/json' \
  -d '{"sku":"TEE-42","qty":2,"customer":{"id":1,"email":"ada@example.com"}}'
c $R http://api.localhost:$WEB/v1/nothing-here
c $R http://docs.localhost:$WEB/guide/start
c $R http://legacy.localhost:$WEB/
c $R http://unknown.localhost:$WEB/
c $R -X POST http://api.localhost:$WEB/v1/orders -H 'Content-Type: application/x-www-form-urlencoded' \
  -d 'sku=MUG-7&qty=1'
sleep 1

WIN=$(main_window)
shot() { sleep "${2:-0.8}"; import -window "$WIN" "$OUT/$1.png"; echo "$OUT/$1.png"; }
click() { xdotool mousemove --window "$WIN" "$1" "$2" click 1; }

show_page 1; shot services
show_page 2; sleep 0.5
# The POST with a JSON body: the 6th request (rows are oldest first): the first row, then down.
click 300 ${FIRST_ROW_Y:-123}; xdotool key Down Down Down Down Down; shot requests
show_page 3; shot certificates 1.5
show_page 4; shot settings

# The tray menu: the window closed to the tray (Ctrl+W), a right click on the icon (trayer sits
# at the bottom right).
xdotool key --clearmodifiers ctrl+w; sleep 0.8
read -r SW SH <<<"$(xdotool getdisplaygeometry)"
xdotool mousemove $(( SW - 14 )) $(( SH - 14 )) click 3
sleep 0.8
import -window root "$W/tray-full.png"
# Keep the part of the screen with the menu and the tray.
convert "$W/tray-full.png" -crop 520x320+$(( SW - 520 ))+$(( SH - 320 )) +repage "$OUT/tray-menu.png"
echo "$OUT/tray-menu.png"
xdotool key Escape
stop_gui

# The same app when its port is taken: the banner says so and how to fix it.
python3 -c "import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)" >$W/busy & PIDS+=($!)
for _ in $(seq 50); do [ -s $W/busy ] && break; sleep 0.1; done
BUSY=$(cat $W/busy)
sed -i "s/127.0.0.1:$WEB\"/127.0.0.1:$BUSY\"/" $W/static.yaml
PROBE=0 start_gui
WIN=$(main_window)
shot services-port-error 1.5
stop_gui
