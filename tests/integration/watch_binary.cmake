# integration.watch_binary: `probewatch watch --interval 1s` as a real child process against a fake
# GitHub on loopback and a local service the test takes down and back up: one incident opens within
# a few intervals and closes on recovery, quiet cycles send no request, SIGTERM mid-cycle (probing,
# and writing) exits within 5 s, and the next `run` finds a consistent state.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(watch_binary TIMEOUT 120 SOURCES ${CMAKE_CURRENT_LIST_DIR}/watch/watch_binary_test.cpp)
