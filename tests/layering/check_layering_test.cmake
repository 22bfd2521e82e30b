# Runs by `cmake -P`: configures tests/layering/graph/ once per case and asserts the outcome and
# the exact message of cmake/LayeringCheck.cmake.
function(configure_case name out_result out_error)
  set(dir "${BINARY_DIR}/${name}")
  file(REMOVE_RECURSE "${dir}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${dir}" -DCASE=${name}
            -DPROBEWATCH_CMAKE_DIR=${PROBEWATCH_CMAKE_DIR}
    RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE error)
  set(${out_result} "${result}" PARENT_SCOPE)
  set(${out_error} "${error}" PARENT_SCOPE)
endfunction()

function(expect_failure name)
  string(CONCAT expected ${ARGN})
  configure_case(${name} result error)
  if(result EQUAL 0)
    message(FATAL_ERROR "case ${name}: the configure succeeded; expected it to fail with:\n${expected}")
  endif()
  string(FIND "${error}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "case ${name}: expected the message\n${expected}\nbut the configure said:\n${error}")
  endif()
  message(STATUS "case ${name}: fails as expected")
endfunction()

configure_case(allowed result error)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "case allowed: an allowed graph failed to configure:\n${error}")
endif()
message(STATUS "case allowed: configures")

expect_failure(broken
  "   layering: render must never link client, but its link closure does:\n"
  "     render -> report -> client\n"
  "   Remove that link, or move what render needs below it (rules: cmake/Layering.cmake).\n")
expect_failure(library
  "   layering: model must never link ssl, but its link closure does:\n"
  "     model -> ssl\n"
  "   Remove that link, or move what model needs below it (rules: cmake/Layering.cmake).\n")
expect_failure(alias
  "   layering: model must never link fake_ssl, but its link closure does:\n"
  "     model -> client -> fake_ssl\n"
  "   Remove that link, or move what model needs below it (rules: cmake/Layering.cmake).\n")
