# integration.secret_leak: canary secrets with Markdown, HTML and URL metacharacters (in a URL, in
# headers, in redirect targets and error messages, as the token) never reach the binary's output,
# reports, action outputs, the local tracker file or anything on the fake GitHub, in any spelling,
# even when the endpoint echoes them back; public variables (GITHUB_SHA) stay readable.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB secret_leak_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/secret_leak/*.cpp)
probewatch_binary_test(secret_leak TIMEOUT 120 SOURCES ${secret_leak_sources})
