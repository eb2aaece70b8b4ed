# Sourced by the wine checks (not run): run.sh SOURCE_DIR BUILD_DIR WINEPREFIX. Sets $src, $out
# (created), $cxx (mingw-w64, C++20 -static -Werror in $cxxflags) and $wine, and the prefix
# shared by the wine checks; exits 77 (ctest SKIP) when mingw-w64 or wine is not installed.
set -eu
src=${1:?source dir}
out=${2:?build dir}
cxx=x86_64-w64-mingw32-g++-posix
command -v "$cxx" >/dev/null 2>&1 || { echo "skip: $cxx not installed"; exit 77; }
wine=$(command -v wine64 || command -v wine || true)
[ -n "$wine" ] || { echo "skip: wine not installed"; exit 77; }
mkdir -p "$out"
cxxflags="-std=c++20 -O1 -static -Wall -Wextra -Werror -I$src"
# The prefix is kept between runs (creating one takes seconds and ~700 MB).
export WINEPREFIX="${3:?wine prefix}" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
