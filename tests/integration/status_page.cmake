# integration.status_page: the real probewatch binary makes a dashboard and an incident against a
# fake GitHub on loopback, `probewatch status-page` writes the page, and headless Chromium (Debian
# package chromium, installed by scripts/install-deps) loads it from disk: the DOM holds every
# check with its uptime figure and the incidents, untrusted text stays text, the page asks for
# nothing over the network (every request would reach a counting proxy on loopback), and
# screenshots at phone and desktop sizes are kept in build/.../artifacts/status-page. Without
# chromium the test is skipped (exit 77) and says so.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(status_page TIMEOUT 120 SOURCES ${CMAKE_CURRENT_LIST_DIR}/status_page/status_page_test.cpp)
target_compile_definitions(status_page_test PRIVATE
  STATUS_PAGE_ARTIFACTS="${CMAKE_BINARY_DIR}/artifacts/status-page")
set_tests_properties(integration.status_page PROPERTIES SKIP_RETURN_CODE 77)
