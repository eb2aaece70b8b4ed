#!/bin/sh
# Builds windows_root_store_win.cpp + the probe with mingw-w64 and runs it under wine against
# wine's current-user Root store. Exit 77 (skipped) when mingw-w64 or wine is missing.
# usage: windows_root_store_test.sh SOURCE_DIR WORK_DIR
set -eu
src=$1
work=$2
cxx=$(command -v x86_64-w64-mingw32-g++-posix || command -v x86_64-w64-mingw32-g++ || true)
wine=$(command -v wine64 || command -v wine || true)
if [ -z "$cxx" ] || [ -z "$wine" ]; then
    echo "skipped: needs g++-mingw-w64-x86-64-posix and wine64"
    exit 77
fi
mkdir -p "$work"
"$cxx" -std=c++20 -O1 -Wall -Wextra -Werror -static -I"$src" \
    "$src/tests/trust/windows_root_store_probe.cpp" "$src/core/tls/trust/windows_root_store_win.cpp" \
    -o "$work/probe.exe" -lcrypt32
# A throwaway CA whose subject starts like Portico's.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=Portico Local CA wine-test/O=Portico local development CA" \
    -addext basicConstraints=critical,CA:TRUE -keyout "$work/ca.key" -outform DER -out "$work/ca.der" \
    2>/dev/null
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
"$wine" "$work/probe.exe" "$work/ca.der" "Portico Local CA"
