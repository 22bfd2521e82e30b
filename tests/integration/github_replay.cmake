# integration.github_replay: the client over real loopback sockets against GitHub's own
# recorded responses (npm @octokit/fixtures), replayed by tests/support/replay.
probewatch_executable(github_replay_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/github/main.cpp ${CMAKE_CURRENT_LIST_DIR}/github/test_github_replay.cpp
  DEPS pw_test_support)
target_compile_definitions(github_replay_tests PRIVATE PROBEWATCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME integration.github_replay COMMAND github_replay_tests --no-version)
set_tests_properties(integration.github_replay PROPERTIES TIMEOUT 60)
