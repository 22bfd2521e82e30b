# integration.probe_fallback: a name that resolves to a blackholed address first and a working one
# second connects through the second within the check's timeout (Happy Eyeballs style). Loopback
# only: the blackhole is a listener on 127.0.0.2 whose accept queue the test has filled.
probewatch_executable(probe_fallback_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/probe_fallback/probe_fallback_test.cpp
  DEPS pw_test_support)
add_test(NAME integration.probe_fallback COMMAND probe_fallback_test --no-version)
set_tests_properties(integration.probe_fallback PROPERTIES TIMEOUT 60 LABELS integration)
