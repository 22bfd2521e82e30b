# Writes a clang-14-compatible copy of libstdc++'s <expected> into
# ${CMAKE_CURRENT_BINARY_DIR}/compat and sets PROBEWATCH_EXPECTED_COMPAT_DIR (see CMakeLists.txt).
set(probe_source "${CMAKE_CURRENT_BINARY_DIR}/compat_probe.cpp")
file(WRITE ${probe_source} "#include <version>\n")
execute_process(
  COMMAND ${CMAKE_CXX_COMPILER} -std=c++2b -H -fsyntax-only ${probe_source}
  ERROR_VARIABLE header_trace OUTPUT_QUIET RESULT_VARIABLE probe_result)
string(REGEX MATCH "[^ \n]*/c\\+\\+/[0-9]+/version" version_header "${header_trace}")
if(NOT probe_result EQUAL 0 OR NOT version_header)
  message(FATAL_ERROR "fuzz: cannot find libstdc++'s headers for ${CMAKE_CXX_COMPILER}")
endif()
get_filename_component(libstdcxx_dir ${version_header} DIRECTORY)
file(READ ${libstdcxx_dir}/expected text)

# Each edit must apply exactly as often as expected, or the header changed and this needs a look.
function(compat_replace count from to)
  string(LENGTH "${text}" before)
  string(REPLACE "${from}" "" without "${text}")
  string(LENGTH "${without}" without_length)
  string(LENGTH "${from}" from_length)
  math(EXPR changed "(${before} - ${without_length}) / ${from_length}")
  string(REPLACE "${from}" "${to}" after "${text}")
  if(NOT changed EQUAL count)
    message(FATAL_ERROR "fuzz: ${libstdcxx_dir}/expected: expected ${count} of \"${from}\", found ${changed}")
  endif()
  set(text "${after}" PARENT_SCOPE)
endfunction()

compat_replace(1 "__cpp_concepts >= 202002L" "__cpp_concepts >= 201907L")
compat_replace(2 "      constexpr ~expected() = default;\n" "")
compat_replace(1 "      constexpr ~expected()\n      requires (!is_trivially_destructible_v<_Tp>)\n\t    || (!is_trivially_destructible_v<_Er>)\n"
                 "      constexpr ~expected()\n")
compat_replace(1 "      constexpr ~expected() requires (!is_trivially_destructible_v<_Er>)\n"
                 "      constexpr ~expected()\n")

set(PROBEWATCH_EXPECTED_COMPAT_DIR ${CMAKE_CURRENT_BINARY_DIR}/compat)
file(MAKE_DIRECTORY ${PROBEWATCH_EXPECTED_COMPAT_DIR})
# Rewritten only when different, so a reconfigure does not rebuild everything.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/expected.new "${text}")
file(COPY_FILE ${CMAKE_CURRENT_BINARY_DIR}/expected.new ${PROBEWATCH_EXPECTED_COMPAT_DIR}/expected ONLY_IF_DIFFERENT)
