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
# pgpkit-sop is a link to pgpkit, which runs `pgpkit sop` under that name (cli/sop/).
install(CODE "execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink pgpkit
  \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/pgpkit-sop\")" COMPONENT bin)
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

# The man page and the bash and zsh completions, written from the CLI's own --help by
# scripts/make-man.py after every build of the executable, so that they cannot drift.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
set(_man_dir ${PROJECT_BINARY_DIR}/man)
add_custom_command(OUTPUT ${_man_dir}/pgpkit.1 ${_man_dir}/pgpkit.bash ${_man_dir}/_pgpkit
                   COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/make-man.py $<TARGET_FILE:pgpkit_cli>
                           ${_man_dir}
                   DEPENDS pgpkit_cli ${PROJECT_SOURCE_DIR}/scripts/make-man.py
                   COMMENT "Writing the man page and shell completions from pgpkit --help")
add_custom_target(pgpkit_man ALL DEPENDS ${_man_dir}/pgpkit.1)
install(FILES ${_man_dir}/pgpkit.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT bin)
install(FILES ${_man_dir}/pgpkit.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME pgpkit COMPONENT bin)
install(FILES ${_man_dir}/_pgpkit DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT bin)
