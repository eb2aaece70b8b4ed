#!/bin/bash
# Starts a Docker-compatible engine (rootful podman's Docker Engine API) for the Docker provider's
# tests, on a clean Debian 12 machine. Idempotent: installs what is missing, writes the podman
# settings this kind of machine needs, builds the test image once, starts the API service once.
# Prints the API socket path last. The live tests (tests/provider_docker) run it themselves.
#
#   scripts/start-podman.sh              # -> /tmp/podman.sock, image localhost/bbci:latest
#   scripts/start-podman.sh --stop       # stops the API service this script started
#
# Environment: PORTICO_PODMAN_SOCK (default /tmp/podman.sock), PORTICO_PODMAN_IMAGE.
#
# Why the settings (found on CI-like machines):
# - root there may lack CAP_SYS_RESOURCE, and podman's default ulimits ask for more than the hard
#   limit, so containers fail to start: default_ulimits is pinned to the current hard limits.
#   Both nofile and nproc or neither (an explicit --ulimit replaces the whole default list).
# - crun refuses a hybrid cgroup v1/v2 layout; runc works.
# - the image is busybox httpd as PID 1, which ignores SIGTERM: remove with `podman rm -f -t 0`.
# - containers are reached through ports published on 127.0.0.1.
set -eu
SOCK=${PORTICO_PODMAN_SOCK:-/tmp/podman.sock}
IMAGE=${PORTICO_PODMAN_IMAGE:-localhost/bbci:latest}
PIDFILE=${SOCK}.pid
LOG=${SOCK}.log

ping_engine() { curl -sf --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$PIDFILE" ]; then kill "$(cat "$PIDFILE")" 2>/dev/null || true; rm -f "$PIDFILE"; fi
  exit 0
fi

install_missing() {
  local need=()
  for pair in podman:podman runc:runc curl:curl; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
  done
  [ -x /bin/busybox ] || need+=(busybox-static)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then echo "start-podman: missing ${need[*]} (run as root)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

write_settings() {
  local nofile nproc pidmax
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu); pidmax=$(cat /proc/sys/kernel/pid_max)
  [ "$nproc" = unlimited ] && nproc=$pidmax
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$pidmax" -lt "$nproc" ] && nproc=$pidmax
  mkdir -p /etc/containers/containers.conf.d
  cat > /etc/containers/containers.conf.d/60-portico-tests.conf <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
CONF
}

build_image() {
  podman image exists "$IMAGE" && return 0
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for tool in sh httpd echo sleep cat ls; do ln -s busybox "$root/bin/$tool"; done
  echo "hello from a container" > "$root/www/index.html"
  tar -C "$root" -cf "$root.tar" .
  podman import -q --change 'CMD ["/bin/httpd","-f","-p","80","-h","/www"]' "$root.tar" \
    "$IMAGE" >/dev/null
  rm -rf "$root" "$root.tar"
}

start_service() {
  ping_engine && return 0
  rm -f "$SOCK"
  setsid podman system service --time=0 "unix://$SOCK" >"$LOG" 2>&1 </dev/null &
  echo $! > "$PIDFILE"
  for _ in $(seq 200); do ping_engine && return 0; sleep 0.05; done
  cat "$LOG" >&2
  echo "start-podman: the API did not come up at $SOCK" >&2
  exit 1
}

install_missing
[ "$(id -u)" = 0 ] && write_settings
build_image
start_service
echo "$SOCK"
