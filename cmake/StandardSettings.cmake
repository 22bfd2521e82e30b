# Sanitizer settings as an INTERFACE target linked PRIVATE into our targets only.
add_library(probewatch_settings INTERFACE)
if(PROBEWATCH_SANITIZE)
  target_compile_options(probewatch_settings INTERFACE
    -fsanitize=${PROBEWATCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(probewatch_settings INTERFACE -fsanitize=${PROBEWATCH_SANITIZE})
endif()

# probewatch_module(NAME SOURCES... [DEPS ...] [PRIVATE_DEPS ...])
# One static library per module; headers are included as <bot/...> or <github_client/...>.
function(probewatch_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS}
    probewatch_warnings probewatch_settings)
  set_property(GLOBAL APPEND PROPERTY PROBEWATCH_MODULES ${name})
endfunction()

# probewatch_executable(NAME SOURCES... [DEPS ...]): an executable with our warnings and sanitizers.
function(probewatch_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} probewatch_warnings probewatch_settings)
endfunction()
