# integration.lifecycle_binary: the real probewatch binary, as a child process, over many runs
# against a fake GitHub on loopback and a local endpoint the test flips between 200 and 503: open,
# keep current, recover, reopen, removed checks, people's issues, dry-run, the report, exit codes,
# and two runs racing.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB lifecycle_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/lifecycle/*.cpp)
probewatch_binary_test(lifecycle_binary TIMEOUT 120 SOURCES ${lifecycle_sources})
