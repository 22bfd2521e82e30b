# integration.early_warning_binary: the real probewatch binary against a fake GitHub on loopback,
# a local service that passes and a local RDAP server (RFC 9083 answers): a domain expiring within
# domain_warning opens its early-warning incident, a renewal closes it, and a broken RDAP answer
# leaves it as it was.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(early_warning_binary TIMEOUT 60 SOURCES ${CMAKE_CURRENT_LIST_DIR}/early_warning/early_warning_binary_test.cpp)
