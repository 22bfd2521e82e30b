# integration.secret_leak: canary secrets (in a URL, in a header, as the token) never reach the
# binary's output, reports, action outputs or anything on the fake GitHub, even when the endpoint
# echoes them back in its body and headers, raw, JSON-escaped and percent-encoded.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB secret_leak_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/secret_leak/*.cpp)
probewatch_binary_test(secret_leak TIMEOUT 120 SOURCES ${secret_leak_sources})
