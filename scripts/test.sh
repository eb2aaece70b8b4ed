#!/usr/bin/env bash
# Installs what is missing, builds Portico with -Werror and runs the whole test suite.
#   scripts/test.sh [ctest args...]      e.g. scripts/test.sh -L rules
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j2 "$@"
