#!/usr/bin/env bash
# Installs what is missing, builds Portico with -Werror and runs the whole test suite.
#   scripts/test.sh [ctest args...]      e.g. scripts/test.sh -L rules
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones and CI checkouts of the same tree.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
scripts/install-deps.sh all
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j2 "$@"
