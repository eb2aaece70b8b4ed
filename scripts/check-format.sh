#!/usr/bin/env bash
# Fails when a C++ file differs from .clang-format (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h')
[ -z "$files" ] && exit 0
clang-format-14 --dry-run --Werror $files
echo "format: $(echo "$files" | wc -l) files clean"
