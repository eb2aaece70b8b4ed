#!/usr/bin/env bash
# `portico discover` / `publish` / `unpublish` end to end, as a user runs them: a real dev server
# (python3 -m http.server in a project with a package.json), `portico serve` with discovery on,
# the CLI and curl. It runs in a network namespace of its own, so discovery sees this test's
# sockets only (and probes nothing that belongs to other tests).   usage: discover_cli.sh PORTICO
set -euo pipefail
portico=$1
if [ "${PORTICO_IN_NETNS:-}" != 1 ]; then
  if ! unshare --net true 2>/dev/null; then
    echo "SKIP: cannot create a network namespace here (needs root or user namespaces)"
    exit 77
  fi
  exec unshare --net -- env PORTICO_IN_NETNS=1 bash "$0" "$@"
fi
ip link set lo up

work=$(mktemp -d)
export PORTICO_HOME=$work/home
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- serve log:"; cat "$work/serve.log" || true; exit 1; }
# Polls COMMAND until it succeeds or 10 s pass (the deadline is what fails a test, not a sleep).
until_ok() {
  local deadline=$((SECONDS + 10))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

mkdir -p "$work/blog"
echo '{"name": "@acme/blog"}' > "$work/blog/package.json"
echo '<html><head><title>Blog Home</title></head></html>' > "$work/blog/index.html"
# Fixed ports are safe here: the namespace is this test's own.
(cd "$work/blog" && exec python3 -m http.server 5173 --bind 127.0.0.1) >/dev/null 2>&1 &
pids+=($!)
server=$!
cat > "$work/static.yaml" <<YAML
entryPoints:
  web: {address: "127.0.0.1:8080"}
providers:
  ports: {interval: 100ms}
YAML
"$portico" serve --config "$work/static.yaml" > "$work/serve.log" 2>&1 &
pids+=($!)

until_ok test -f "$PORTICO_HOME/instance.json" || fail "portico serve did not start"
has_blog() { "$portico" discover | grep -q "blog .*proposed .*http.server .*Blog Home"; }
until_ok has_blog || fail "the dev server was not discovered: $("$portico" discover 2>&1)"
"$portico" discover --json | grep -q '"workingDirectory": "'"$work/blog"'"' \
  || fail "discover --json lacks the working directory"

# Not published yet: the name is not routed.
status() { curl -s -o /dev/null -w '%{http_code}' --resolve blog.localhost:8080:127.0.0.1 http://blog.localhost:8080/; }
[ "$(status)" = 404 ] || fail "routed before publishing"
out=$("$portico" publish 5173) || fail "publish failed: $out"
[ "$out" = "blog.localhost -> http://127.0.0.1:5173" ] || fail "publish printed \"$out\""
serves() { curl -sf --resolve blog.localhost:8080:127.0.0.1 http://blog.localhost:8080/ | grep -q "Blog Home"; }
until_ok serves || fail "blog.localhost does not reach the dev server"
"$portico" discover | grep -q "blog .*published" || fail "discover does not show it published"

# Unknown ids are a clear error with a hint.
if out=$("$portico" publish 9999 2>&1); then fail "publish 9999 succeeded"; fi
echo "$out" | grep -q 'no dev server found with id or port "9999"' || fail "unclear error: $out"

# The dev server exits: its route goes, the choice stays.
kill "$server"
gone() { [ "$(status)" = 404 ]; }
until_ok gone || fail "the route outlived the dev server"
grep -q blog "$PORTICO_HOME/ports.json" || fail "the publication was not remembered"
echo "PASS: discovered, published, reached, forgotten"
