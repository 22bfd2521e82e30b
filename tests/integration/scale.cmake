# integration.scale: 5,000 checks across 10 shards with 500 incidents open, against the fake
# GitHub in memory; prints requests per shard and wall times (recorded in bench/README.md).
probewatch_executable(scale_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/scale/scale_test.cpp DEPS pw_test_support)
add_test(NAME integration.scale COMMAND scale_test --no-version)
set_tests_properties(integration.scale PROPERTIES TIMEOUT 600 LABELS integration)
