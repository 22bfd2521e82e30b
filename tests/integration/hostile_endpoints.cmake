# integration.hostile_endpoints: the binary against hostile servers (100 MiB body, 10,000 headers,
# slowloris, endless redirects, binary and invalid UTF-8 bodies, Markdown/HTML/workflow-command
# injection): bounded time and memory, exit 1 rather than a crash, and issues that render safely.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB hostile_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/hostile/*.cpp)
probewatch_binary_test(hostile_endpoints TIMEOUT 180 SOURCES ${hostile_sources})
