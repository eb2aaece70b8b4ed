# One INTERFACE target carries language level, warnings and Qt strictness for every target.
add_library(portico_options INTERFACE)
target_compile_features(portico_options INTERFACE cxx_std_20)
target_compile_options(portico_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual)
target_compile_definitions(portico_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_KEYWORDS
  PORTICO_VERSION="${PROJECT_VERSION}")
if(PORTICO_WERROR)
  target_compile_options(portico_options INTERFACE -Werror)
endif()
if(PORTICO_FUZZ)
  # Instrument every library for coverage, not just the fuzz executables (which add -fsanitize=fuzzer).
  target_compile_options(portico_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(portico_options INTERFACE -fsanitize=address,undefined)
endif()
if(PORTICO_SANITIZE)
  target_compile_options(portico_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(portico_options INTERFACE -fsanitize=address,undefined)
endif()

# portico_module(NAME folder DEPS ...) — one static library per core folder, so the link graph
# enforces the layering of docs/architecture.md.
function(portico_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(portico_${name} STATIC ${M_SOURCES})
  target_include_directories(portico_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(portico_${name} PUBLIC portico_options ${M_DEPS})
  # Qt's headers dominate compile time; each library parses them once.
  target_precompile_headers(portico_${name} PRIVATE <QByteArray> <QString> <QObject> <vector>
                            <memory> <map>)
endfunction()
