# Install rules and the Debian package (included from the top CMakeLists.txt).
#
#   cmake --install BUILD --prefix /usr/local     bin/mentorbot, share/mentorbot/{templates,rules},
#                                                 lib/systemd/system/mentorbot.service,
#                                                 share/doc/mentorbot/examples/mentorbot.env.example
#   cd BUILD && cpack -G DEB                      mentorbot_VERSION_ARCH.deb, prefix /usr
#
# The binary finds share/mentorbot/ from its own path (bot/core/data_files.hpp), so any prefix
# works without MENTORBOT_TEMPLATES / MENTORBOT_RULES. The binary's own rule: bot/CMakeLists.txt.

install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates ${PROJECT_SOURCE_DIR}/rules
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mentorbot)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/mentorbot.env.example
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# The unit's ExecStart names the binary where this install puts it: deploy/mentorbot.service
# says /usr/local/bin/mentorbot, rewritten at install time for the prefix actually used (systemd
# also looks in /usr/lib/systemd/system and /usr/local/lib/systemd/system).
install(CODE "set(MENTORBOT_UNIT_SOURCE \"${PROJECT_SOURCE_DIR}/deploy/mentorbot.service\")
set(MENTORBOT_BINDIR \"${CMAKE_INSTALL_BINDIR}\")")
install(CODE [[
  set(mentorbot_unit_dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  file(READ "${MENTORBOT_UNIT_SOURCE}" mentorbot_unit)
  string(REPLACE "/usr/local/bin/mentorbot" "${CMAKE_INSTALL_PREFIX}/${MENTORBOT_BINDIR}/mentorbot"
         mentorbot_unit "${mentorbot_unit}")
  message(STATUS "Installing: ${mentorbot_unit_dir}/mentorbot.service")
  file(MAKE_DIRECTORY "${mentorbot_unit_dir}")
  file(WRITE "${mentorbot_unit_dir}/mentorbot.service" "${mentorbot_unit}")
]])

# cpack -G DEB. The runtime libraries become Depends through dpkg-shlibdeps (dpkg-dev);
# ca-certificates is what OpenSSL needs to trust api.github.com.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mentorbot)
set(CPACK_PACKAGE_VENDOR mentorbot)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "GitHub App that welcomes first-time contributors and awards challenge coins")
set(CPACK_PACKAGE_DESCRIPTION
    "mentorbot welcomes first-time contributors with a specific comment and a few gentle review suggestions, awards challenge coins when their pull requests merge, and shows a live sprint leaderboard.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
# DESTDIR staging, so the install rules see CMAKE_INSTALL_PREFIX=/usr (the unit's ExecStart).
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "mentorbot maintainers <mentorbot@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql")
include(CPack)
