# integration.engine_binary: the incident engine's "done when" scenarios through the real binary:
# two config files on one label in alternating runs, and one config of 10,000 checks (all pass,
# 50 fail, all recover), against the fake GitHub on loopback and a local service;
# integration.engine_quiet: 100 checks failing, then 12 quiet runs of one request each.
# integration.engine_edges: GitHub's real answers through the real binary: a transferred (301) and a
# deleted (410) incident (still failing, or recovered), labels dropped on create, forged markers, a
# person's labeled issue and labeled pull requests (never written), and a close cut off after its
# comment (refused, or the run killed), finished by the next run with one comment; and a 502/503
# flap over ten runs, which comments at most once per change_throttle interval.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(engine_binary TIMEOUT 600 ARGS "-tce=*exactly one request*"
                       SOURCES ${CMAKE_CURRENT_LIST_DIR}/engine/engine_binary_test.cpp)
# The 100-check outage's quiet runs (most of its time is the 1 s spacing of the opening writes):
# the same binary, its own test, so CTest runs it beside the others.
add_test(NAME integration.engine_quiet COMMAND engine_binary_test --no-version "-tc=*exactly one request*")
set_tests_properties(integration.engine_quiet PROPERTIES TIMEOUT 400 LABELS integration)
probewatch_binary_test(engine_edges TIMEOUT 180 SOURCES ${CMAKE_CURRENT_LIST_DIR}/engine/engine_edges_test.cpp)
