# integration.diagnosis: one end-to-end case per hint. The real probewatch binary runs against real
# servers on loopback (nginx with TLS and as an edge in front of an application, fault servers) and
# its --report must name exactly the expected hint; failures that point at no cause must get none.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB diagnosis_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/diagnosis/*.cpp)
probewatch_binary_test(diagnosis TIMEOUT 120 SOURCES ${diagnosis_sources})
