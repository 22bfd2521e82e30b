# integration.deploy_binary: the real probewatch binary on a deployment_status event (an event file
# at GITHUB_EVENT_PATH, as GitHub writes it) against a fake GitHub on loopback and a local service
# that rolls out a new version: the run waits for the served version, a failure within the deploy's
# grace is deploying and opens nothing, and the recovery note names the deploy's pull request.
include(${CMAKE_CURRENT_LIST_DIR}/e2e/e2e.cmake)
probewatch_binary_test(deploy_binary TIMEOUT 90 SOURCES ${CMAKE_CURRENT_LIST_DIR}/deploy/deploy_binary_test.cpp)
