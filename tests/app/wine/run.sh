#!/bin/sh
# The Windows hand-over from portico.exe to portico-gui.exe (app/gui_launcher_win.cpp),
# cross-compiled with mingw-w64 and run under wine: arguments arrive exactly as given (spaces,
# quotes), the desktop app's exit code becomes portico's, and a missing portico-gui.exe is named.
# usage: run.sh SOURCE_DIR BUILD_DIR WINEPREFIX — exits 77 (ctest SKIP) without mingw-w64 or wine.
. "$(dirname "$0")/../../testkit/wine_check.sh"
"$cxx" $cxxflags -DPORTICO_GUI_EXECUTABLE='"portico-gui.exe"' -o "$out/portico.exe" \
  "$src/tests/app/wine/launcher_main.cpp" "$src/app/gui_launcher_win.cpp"
"$cxx" $cxxflags -o "$out/portico-gui.exe" "$src/tests/app/wine/fake_gui.cpp"

fail() { echo "FAIL: $*"; exit 1; }
set +e
"$wine" "$out/portico.exe" gui --port 8080 "two words" 'say "hi"' >"$out/stdout" 2>/dev/null
code=$?
set -e
got=$(tr -d '\r' <"$out/stdout")
want=$(printf '[gui]\n[--port]\n[8080]\n[two words]\n[say "hi"]')
[ "$got" = "$want" ] || fail "arguments arrived as:
$got
expected:
$want"
[ "$code" -eq 7 ] || fail "exit code $code, expected the desktop app's 7"
echo "PASS: arguments and exit code handed over"

rm "$out/portico-gui.exe"
set +e
"$wine" "$out/portico.exe" >/dev/null 2>"$out/stderr"
code=$?
set -e
err=$(tr -d '\r' <"$out/stderr")
[ "$code" -eq 2 ] || fail "exit code $code without portico-gui.exe, expected 2"
case "$err" in
  *"the desktop app is not installed"*portico-gui.exe*"portico serve"*) ;;
  *) fail "no clear message without portico-gui.exe: $err" ;;
esac
echo "PASS: a missing portico-gui.exe is named"
