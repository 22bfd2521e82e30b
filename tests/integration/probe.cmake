# integration.probe_faults: the fault matrix against in-process fault servers.
# integration.probe_nginx: a real nginx with TLS from a CA the test makes with openssl.
# probe_once.cpp holds doctest assertions, so it stays out of pw_test_support, which programs
# without a doctest runner (the fake GitHub) link too.
probewatch_executable(probe_faults_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/probe_faults.cpp
  ${CMAKE_CURRENT_LIST_DIR}/probe_once.cpp DEPS pw_test_support)
add_test(NAME integration.probe_faults COMMAND probe_faults_test --no-version)
# Its cases assert the phase a deadline cut, in real time: it runs alone so that no other test
# starves its client on a 2-core machine.
set_tests_properties(integration.probe_faults PROPERTIES TIMEOUT 180 LABELS integration RUN_SERIAL ON)

probewatch_executable(probe_nginx_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/probe_nginx.cpp
  ${CMAKE_CURRENT_LIST_DIR}/probe_once.cpp DEPS pw_test_support)
add_test(NAME integration.probe_nginx COMMAND probe_nginx_test --no-version)
set_tests_properties(integration.probe_nginx PROPERTIES TIMEOUT 180 LABELS integration)

# The same fault matrix built from only what it needs (the prober and the fault servers), so a
# ThreadSanitizer build of the concurrent prober stays small: scripts/test builds this target
# alone with -DPROBEWATCH_SANITIZE=thread.
probewatch_executable(probe_faults_minimal
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/probe_faults.cpp ${PROJECT_SOURCE_DIR}/tests/support/fault_server.cpp
          ${CMAKE_CURRENT_LIST_DIR}/probe_once.cpp
          ${PROJECT_SOURCE_DIR}/tests/support/os.cpp
  DEPS pw_probe doctest::doctest Threads::Threads)
target_include_directories(probe_faults_minimal PRIVATE ${PROJECT_SOURCE_DIR}/tests)

# integration.probe_socket: tcp:// and tls:// checks against an in-process listener and nginx.
probewatch_executable(probe_socket_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/probe_socket.cpp DEPS pw_test_support)
add_test(NAME integration.probe_socket COMMAND probe_socket_test --no-version)
set_tests_properties(integration.probe_socket PROPERTIES TIMEOUT 120 LABELS integration)
