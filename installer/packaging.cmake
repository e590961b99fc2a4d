# Install rules for the data files, and CPack: a Debian package and a relocatable tarball of the
# same tree. Included last by the top-level CMakeLists.txt so every install() rule exists by then.
#   bin/statelab{,-cli,-backend,-balancer}     (install() lines next to each target)
#   share/applications, share/metainfo, share/icons/hicolor/...   (desktop integration)
#   share/statelab/scenarios/*.json                                (example scenarios)
#   share/statelab/lessons/*.json                                  (guided lessons)

# One id for the .desktop file, the AppStream component and the icon: desktops match them by name.
set(STATELAB_APP_ID io.github.statelab.StateLab)
set(res ${PROJECT_SOURCE_DIR}/resources)

if(STATELAB_BUILD_GUI)
  install(FILES ${res}/${STATELAB_APP_ID}.desktop DESTINATION share/applications)
  install(FILES ${res}/${STATELAB_APP_ID}.metainfo.xml DESTINATION share/metainfo)
  install(FILES ${res}/icons/${STATELAB_APP_ID}.svg DESTINATION share/icons/hicolor/scalable/apps)
  foreach(size 48 128 256)
    install(FILES ${res}/icons/${STATELAB_APP_ID}-${size}.png
            DESTINATION share/icons/hicolor/${size}x${size}/apps RENAME ${STATELAB_APP_ID}.png)
  endforeach()
endif()
install(DIRECTORY ${res}/scenarios/ DESTINATION share/statelab/scenarios FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${res}/lessons/ DESTINATION share/statelab/lessons FILES_MATCHING PATTERN "*.json")
# MIT: the Debian copyright file (machine-readable format) where Debian keeps it, and the
# license text with the tarball's tree.
install(FILES ${PROJECT_SOURCE_DIR}/installer/debian/copyright DESTINATION share/doc/statelab)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)

set(STATELAB_PACKAGE_MAINTAINER "StateLab maintainers <maintainers@users.noreply.h-seed-13728264.example>"
    CACHE STRING "Maintainer field of the Debian package")

# cpack (and `cmake --install`) package what is built instead of first building `all`: a package
# needs only the four programs, not the test suites, and tst_installed_package runs cpack inside
# ctest, where rebuilding the tree under the running tests would be wrong.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB TGZ)
set(CPACK_PACKAGE_NAME statelab)
set(CPACK_PACKAGE_VENDOR StateLab)
set(CPACK_PACKAGE_CONTACT ${STATELAB_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION [[StateLab launches a real cluster of local processes (app servers, a load
balancer, a Redis session store), drives HTTP traffic at it from thousands of
virtual users and charts per-server load and session hits, misses and losses
while you kill, pause, add and restart nodes. It compares sticky sessions,
a shared Redis store and signed client tokens. statelab-cli runs the same
scenarios headless. Every process binds to 127.0.0.1 only.]])
# Dev builds are RelWithDebInfo: unstripped, the four programs are ~150 MB of debug info (8 MB stripped).
set(CPACK_STRIP_FILES ON)
# statelab-0.1.0-linux-x86_64.tar.gz, unpacking into a directory of the same name.
set(CPACK_PACKAGE_FILE_NAME ${CPACK_PACKAGE_NAME}-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR})

# DEB: statelab_0.1.0_amd64.deb, installed under /usr.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${STATELAB_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps finds the Qt, Boost, hiredis, yaml-cpp and OpenSSL libraries the binaries link; it cannot see
# Qt's platform plugins, loaded at run time, without which the window does not open.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(STATELAB_BUILD_GUI)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS qt6-qpa-plugins)
endif()
# The shared-store modes start redis-server; the haproxy balancer is an optional peer.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS redis-server)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS haproxy)

include(CPack)
