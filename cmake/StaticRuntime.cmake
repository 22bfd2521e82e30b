# probewatch_yaml_cpp and probewatch_pcre2: what our modules link for YAML and regular
# expressions. By default Debian's shared libraries; with PROBEWATCH_STATIC_RUNTIME, Debian's
# own static archives (libyaml-cpp.a, libpcre2-8.a), so the container image needs two fewer
# shared libraries. Only the link changes, never a compile flag, so a static build reuses the
# compiler cache of a default one.
#
# libstdc++, libgcc, OpenSSL, zlib and brotli stay shared even then: Debian ships cpp-httplib
# only as a shared library (its httplib.h holds declarations, the implementation is in
# libcpp-httplib.so), and that library links them shared; a second, static copy of any of them
# in the same process would not share its state (allocators, exception types, SSL objects).
add_library(probewatch_yaml_cpp INTERFACE)
add_library(probewatch_pcre2 INTERFACE)
if(PROBEWATCH_STATIC_RUNTIME)
  find_library(PROBEWATCH_YAML_CPP_ARCHIVE NAMES libyaml-cpp.a REQUIRED)
  find_library(PROBEWATCH_PCRE2_ARCHIVE NAMES libpcre2-8.a REQUIRED)
  target_include_directories(probewatch_yaml_cpp INTERFACE
    $<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(probewatch_yaml_cpp INTERFACE "${PROBEWATCH_YAML_CPP_ARCHIVE}")
  target_include_directories(probewatch_pcre2 INTERFACE ${PCRE2_INCLUDE_DIRS})
  target_link_libraries(probewatch_pcre2 INTERFACE "${PROBEWATCH_PCRE2_ARCHIVE}")
else()
  target_link_libraries(probewatch_yaml_cpp INTERFACE yaml-cpp)
  target_link_libraries(probewatch_pcre2 INTERFACE PkgConfig::PCRE2)
endif()
