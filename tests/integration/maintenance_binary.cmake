# integration.maintenance_binary: the real probewatch binary against a fake GitHub on loopback and
# a local endpoint that fails: a maintenance window covering now keeps the failing check from
# opening an incident, one that has ended lets it open, and an open maintenance issue pauses the
# check until it is closed.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(maintenance_binary TIMEOUT 60 SOURCES ${CMAKE_CURRENT_LIST_DIR}/maintenance/maintenance_binary_test.cpp)
