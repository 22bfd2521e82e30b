# integration.github_client_http: the client over HttplibTransport against FakeGitHubServer on
# loopback (keep-alive, http://, path prefix, real resets and timeouts), and the fake_github tool.

# The fake GitHub as a standalone server for shell-driven tests (the container test uses it).
probewatch_executable(fake_github SOURCES ${PROJECT_SOURCE_DIR}/tests/tools/fake_github_main.cpp
  DEPS pw_test_support)

probewatch_executable(github_client_http_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/github/main.cpp ${CMAKE_CURRENT_LIST_DIR}/github/test_github_client_http.cpp
  DEPS pw_test_support)
target_compile_definitions(github_client_http_tests PRIVATE
  PROBEWATCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  FAKE_GITHUB_EXECUTABLE="$<TARGET_FILE:fake_github>")
add_dependencies(github_client_http_tests fake_github)
add_test(NAME integration.github_client_http COMMAND github_client_http_tests --no-version)
set_tests_properties(integration.github_client_http PROPERTIES TIMEOUT 60)
