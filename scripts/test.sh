#!/usr/bin/env bash
# Installs what is missing, builds Portico with -Werror and runs the whole test suite.
#   scripts/test.sh [ctest args...]      e.g. scripts/test.sh -L rules
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones and CI checkouts of the same tree.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
scripts/install-deps.sh all
# A full disk fails tests far from the cause (a temporary file that cannot be created): say so
# first. A first build (build directory, wine prefix, the tests' scratch files) takes about 4 GiB.
free_gib() { df -P -k "$1" | awk 'NR==2 { printf "%d", $4 / 1048576 }'; }
need=4; [ -d build/ci ] && need=1
for dir in . "${TMPDIR:-/tmp}"; do
  if [ "$(free_gib "$dir")" -lt $need ]; then
    echo "scripts/test.sh: only $(free_gib "$dir") GiB free on $(realpath "$dir"); the build and" \
      "the tests need about $need GiB there" >&2
    exit 1
  fi
done
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j2 "$@"
