# integration.vantage_binary: vantage points through the real probewatch binary against a fake
# GitHub on loopback: three `check --vantage` reports (two failing outside, one passing inside)
# combined by `run --reports --quorum 2` open one incident with the per-vantage table and the
# inside/outside hint; a missing report is unknown; a malformed one is a clear error.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(vantage_binary TIMEOUT 90 SOURCES ${CMAKE_CURRENT_LIST_DIR}/vantage/vantage_binary_test.cpp)
