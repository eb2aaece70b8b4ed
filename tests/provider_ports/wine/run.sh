#!/bin/sh
# Cross-compiles the Windows listener table with mingw-w64 and runs its check under wine.
# usage: run.sh SOURCE_DIR BUILD_DIR WINEPREFIX — exits 77 (ctest SKIP) when mingw-w64 or wine is missing.
set -eu
src=${1:?source dir}
out=${2:?build dir}
cxx=x86_64-w64-mingw32-g++-posix
command -v "$cxx" >/dev/null 2>&1 || { echo "skip: $cxx not installed"; exit 77; }
wine=$(command -v wine64 || command -v wine || true)
[ -n "$wine" ] || { echo "skip: wine not installed"; exit 77; }
mkdir -p "$out"
"$cxx" -std=c++20 -O1 -static -Wall -Wextra -Werror -I"$src" \
  "$src/tests/provider_ports/wine/listener_table_wine.cpp" \
  "$src/core/provider/ports/listener_table_win.cpp" \
  -o "$out/listener_table_wine.exe" -liphlpapi -lws2_32
# The prefix is shared by the wine checks and kept between runs (creating one takes seconds).
export WINEPREFIX="${3:?wine prefix}" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
exec "$wine" "$out/listener_table_wine.exe"
