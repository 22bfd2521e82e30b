# Shared by the integration tests that run the real probewatch binary as a child process
# (lifecycle_binary, secret_leak, hostile_endpoints). Included by each; defined once.
include_guard(GLOBAL)

# Runs a program as its child and reports that child's own peak RSS (see the file's comment). Built
# without sanitizers: its own memory is the floor under every figure it reports.
add_executable(rusage_exec ${PROJECT_SOURCE_DIR}/tests/tools/rusage_exec.cpp)
target_link_libraries(rusage_exec PRIVATE probewatch_warnings)

# probewatch_binary_test(NAME TIMEOUT SECONDS [ARGS ...] SOURCES ...): registers `integration.NAME`,
# a doctest binary with its own main that gets the paths of probewatch and rusage_exec as compile
# definitions; ARGS go to the test's command line (doctest filters).
function(probewatch_binary_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;ARGS" ${ARGN})
  probewatch_executable(${name}_test SOURCES ${ARG_SOURCES} DEPS pw_test_support)
  target_compile_definitions(${name}_test PRIVATE
    PROBEWATCH_BINARY="$<TARGET_FILE:probewatch>"
    RUSAGE_EXEC_BINARY="$<TARGET_FILE:rusage_exec>")
  add_dependencies(${name}_test probewatch rusage_exec)
  add_test(NAME integration.${name} COMMAND ${name}_test --no-version ${ARG_ARGS})
  set_tests_properties(integration.${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS integration)
endfunction()
