#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Portico needs to build, test and benchmark. Idempotent and
# quiet when everything is already present.   usage: scripts/install-deps.sh [build|test|all]
set -euo pipefail
what=${1:-all}
build=(cmake ninja-build ccache g++ pkg-config qt6-base-dev qt6-base-dev-tools libyaml-cpp-dev
       libhttp-parser-dev libnghttp2-dev libre2-dev libssl-dev libgl-dev libqt6sql6-sqlite
       zlib1g-dev libbrotli-dev)
# Test clients and real counterparts: podman (Docker API), mingw-w64 + wine (the Windows parts),
# certutil/keytool (trust stores), grpcio (a real gRPC peer).
test=(qt6-websockets-dev curl wrk nginx-light nghttp2-client openssl clang-format-14 procps
      python3 chromium libnss3-tools git podman runc busybox-static g++-mingw-w64-x86-64-posix
      wine wine64 python3-grpcio python3-protobuf default-jre-headless iproute2 util-linux)
case $what in
  build) want=("${build[@]}") ;;
  test|all) want=("${build[@]}" "${test[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js may come from elsewhere (with its own npm); only ask Debian for it when absent.
if [ "$what" != build ] && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
