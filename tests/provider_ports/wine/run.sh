#!/bin/sh
# Cross-compiles the Windows listener table with mingw-w64 and runs its check under wine.
# usage: run.sh SOURCE_DIR BUILD_DIR WINEPREFIX — exits 77 (ctest SKIP) when mingw-w64 or wine is missing.
. "$(dirname "$0")/../../testkit/wine_check.sh"
"$cxx" $cxxflags \
  "$src/tests/provider_ports/wine/listener_table_wine.cpp" \
  "$src/core/provider/ports/listener_table_win.cpp" \
  -o "$out/listener_table_wine.exe" -liphlpapi -lws2_32
exec "$wine" "$out/listener_table_wine.exe"
