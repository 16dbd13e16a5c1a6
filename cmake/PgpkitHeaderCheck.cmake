# Every public header compiles on its own (HOUSE-STYLE rule 2): one generated .cpp per
# header, which includes it twice (so #pragma once is tested too), compiled with the
# repository root as the only include path: no Botan, CLI11 or other -I. Built with the
# library, so a header that is not self-contained breaks the build at once. The ban on
# dependency headers (<zlib.h> is on the default path) is scripts/check-headers.sh's job.
# Expects: PGPKIT_PUBLIC_LAYERS.
option(PGPKIT_HEADER_CHECK "Compile every public header on its own" ON)
if(NOT PGPKIT_HEADER_CHECK)
  return()
endif()

set(_dir ${PROJECT_BINARY_DIR}/header_check)
set(_sources)
foreach(layer ${PGPKIT_PUBLIC_LAYERS})
  file(GLOB _headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/${layer}/*.h)
  foreach(h ${_headers})
    string(REPLACE "/" "__" _name ${h})
    string(REPLACE ".h" ".cpp" _name ${_name})
    set(_src ${_dir}/${_name})
    set(_text "// Generated: ${h} compiles on its own.\n#include \"${h}\"\n#include \"${h}\"\n")
    if(EXISTS ${_src})
      file(READ ${_src} _old)
    else()
      set(_old "")
    endif()
    if(NOT _old STREQUAL _text)
      file(WRITE ${_src} "${_text}")
    endif()
    list(APPEND _sources ${_src})
  endforeach()
endforeach()

add_library(pgpkit_header_check OBJECT ${_sources})
target_include_directories(pgpkit_header_check PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_features(pgpkit_header_check PRIVATE cxx_std_20)
