# Installation of the library (DESIGN: "together they install as one library"):
#   include/pgpkit/<layer>/*.h   public headers; consumers add include/pgpkit to the include
#                                path and write #include "packet/parser.h" as pgpkit does
#   lib/libpgpkit.a              the static library
#   lib/cmake/pgpkit/            find_package(pgpkit) -> pgpkit::pgpkit
#   lib/pkgconfig/pgpkit.pc      pkg-config --cflags --libs [--static] pgpkit
#   bin/pgpkit                   the command-line tool
# Expects: the target pgpkit, the executable pgpkit_cli and PGPKIT_PUBLIC_LAYERS.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PGPKIT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/pgpkit)

foreach(layer ${PGPKIT_PUBLIC_LAYERS})
  file(GLOB _headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${layer}/*.h)
  if(_headers)
    install(FILES ${_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pgpkit/${layer} COMPONENT dev)
  endif()
endforeach()

# The include folder comes from the target's INSTALL_INTERFACE.
install(TARGETS pgpkit EXPORT pgpkitTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(TARGETS pgpkit_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT bin)
install(EXPORT pgpkitTargets NAMESPACE pgpkit:: DESTINATION ${PGPKIT_INSTALL_CMAKEDIR} COMPONENT dev)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/pgpkitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/pgpkitConfig.cmake INSTALL_DESTINATION ${PGPKIT_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pgpkitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/pgpkitConfig.cmake ${PROJECT_BINARY_DIR}/pgpkitConfigVersion.cmake
  DESTINATION ${PGPKIT_INSTALL_CMAKEDIR} COMPONENT dev)

# ${pcfiledir} is <prefix>/<libdir>/pkgconfig: climb as many folders as that has.
file(RELATIVE_PATH PGPKIT_PC_UP /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" PGPKIT_PC_UP "${PGPKIT_PC_UP}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/pgpkit.pc.in ${PROJECT_BINARY_DIR}/pgpkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pgpkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
