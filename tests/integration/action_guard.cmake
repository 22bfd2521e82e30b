# integration.action_guard: the action never falls back silently. Without a token it exits 2
# naming the `token:` input and the `issues: write` permission and writes no file; `tracker:
# local:PATH` still works when asked for. `run` outside the action says exactly what is missing.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB action_guard_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/action_guard/*.cpp)
probewatch_binary_test(action_guard TIMEOUT 60 SOURCES ${action_guard_sources})
