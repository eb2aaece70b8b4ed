#!/bin/sh
# CPU cost of one ports-provider scan with N (default 500) listening sockets.
# usage: tests/bench/ports_scan.sh [BUILD_DIR] [N]
set -eu
build=${1:-build/dev}
cmake --build "$build" --target bench_ports_scan -j2 >/dev/null
exec "$build/tests/provider_ports/bench_ports_scan" "${2:-500}"
