# integration.proxy: a real proxy (Debian's tinyproxy, started and stopped by the test on
# 127.0.0.1) carries the binary's probe traffic (http with absolute URIs, https through CONNECT to
# a real nginx) and its GitHub traffic (to the fake GitHub); NO_PROXY and proxy: none bypass it;
# its log shows the requests; a proxy that refuses (407, a refused CONNECT) gets a clear message.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
file(GLOB proxy_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/proxy/*.cpp)
probewatch_binary_test(proxy TIMEOUT 120 SOURCES ${proxy_sources})
