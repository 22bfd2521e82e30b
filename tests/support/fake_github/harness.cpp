#include <support/fake_github/harness.hpp>

namespace pw::test {

github::ClientOptions test_client_options() {
  github::ClientOptions options;
  options.api_url = "https://api.github.com";
  options.token = std::string(FakeGitHubHarness::k_token);
  options.user_agent = "probewatch/test";
  options.write_spacing = std::chrono::milliseconds{0};
  options.jitter_seed = 1;
  return options;
}

FakeGitHubHarness::FakeGitHubHarness(github::ClientOptions options)
    : github(clock), transport(github), client(std::move(options), transport, clock) {
  github.add_repo(k_repo);
}

}  // namespace pw::test
