#!/usr/bin/env bash
# Installs what is missing, builds Portico (release) and runs it on its built-in default
# configuration, or with the arguments given:   scripts/run.sh [serve options...]
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across clones and CI checkouts of the same tree.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
scripts/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/app/portico serve "$@"
