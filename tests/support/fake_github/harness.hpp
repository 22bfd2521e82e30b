#pragma once

#include <github_client/client.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_transport.hpp>
#include <support/fake_github/manual_clock.hpp>

#include <string_view>

namespace pw::test {

// Client options for tests: no write spacing, fixed jitter, a known token, api.github.com.
github::ClientOptions test_client_options();

// A fake GitHub with one repository, a client wired to it in memory, and one manual clock
// shared by both, so rate-limit resets and backoff waits run instantly.
struct FakeGitHubHarness {
  static constexpr std::string_view k_repo = "octo-org/app";
  static constexpr std::string_view k_token = "ghs_harness_token_0123456789";

  explicit FakeGitHubHarness(github::ClientOptions options = test_client_options());

  ManualClock clock;
  FakeGitHub github;
  FakeTransport transport;
  github::Client client;
};

}  // namespace pw::test
