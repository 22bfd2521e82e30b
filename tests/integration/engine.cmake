# integration.engine_binary: the incident engine's "done when" scenarios through the real binary:
# two config files on one label in alternating runs, and one config of 10,000 checks (all pass,
# 50 fail, all recover), against the fake GitHub on loopback and a local service.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(engine_binary TIMEOUT 600 SOURCES ${CMAKE_CURRENT_LIST_DIR}/engine/engine_binary_test.cpp)
