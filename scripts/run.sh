#!/usr/bin/env bash
# Installs what is missing, builds Portico (release) and runs it on its built-in default
# configuration, or with the arguments given:   scripts/run.sh [serve options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/app/portico serve "$@"
