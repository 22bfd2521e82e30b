#include <github_client/client.hpp>
#include <support/fake_github/harness.hpp>
#include <support/fake_github/scripted_transport.hpp>

#include <doctest/doctest.h>

#include <functional>

using github::ErrorKind;
using pw::test::FakeGitHubHarness;
using pw::test::FaultKind;
using namespace std::chrono_literals;

namespace {

github::Error list_error(FakeGitHubHarness& h) {
  auto issues = h.client.list_issues(FakeGitHubHarness::k_repo);
  REQUIRE_FALSE(issues);
  return issues.error();
}

}  // namespace

TEST_CASE("github_client errors: each status becomes a typed error a person can act on") {
  FakeGitHubHarness h;
  int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t"});

  SUBCASE("401 without a token") {
    auto options = pw::test::test_client_options();
    options.token.clear();
    github::Client anonymous(options, h.transport, h.clock);
    auto issue = anonymous.get_issue(FakeGitHubHarness::k_repo, number);
    REQUIRE_FALSE(issue);
    CHECK(issue.error().kind == ErrorKind::unauthorized);
    CHECK(issue.error().status == 401);
    CHECK(issue.error().message ==
          "GitHub rejected the token (401 Requires authentication) for GET /repos/octo-org/app/issues/1: check that "
          "the token is set, not expired and not revoked");
  }
  SUBCASE("401 with a wrong token") {
    h.github.add_token("some-other-token", "someone");
    auto error = list_error(h);
    CHECK(error.kind == ErrorKind::unauthorized);
    CHECK(error.message ==
          "GitHub rejected the token (401 Bad credentials) for GET /repos/octo-org/app/issues: check that the token "
          "is set, not expired and not revoked");
    CHECK(h.github.requests().size() == 1);
  }
  SUBCASE("403 names the permission and the fork case") {
    h.github.inject({.fault = FaultKind::forbidden, .operation = "create_issue"});
    auto issue = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "x"});
    REQUIRE_FALSE(issue);
    CHECK(issue.error().kind == ErrorKind::forbidden);
    CHECK(issue.error().message ==
          "GitHub refused POST /repos/octo-org/app/issues (403 Resource not accessible by integration): the workflow "
          "needs `permissions: issues: write`, and pull requests from forks get a read-only token");
    CHECK_FALSE(issue.error().may_have_applied);
  }
  SUBCASE("404 for a repository that does not exist") {
    auto issues = h.client.list_issues("octo-org/missing");
    REQUIRE_FALSE(issues);
    CHECK(issues.error().kind == ErrorKind::not_found);
    CHECK(issues.error().message ==
          "GitHub found nothing at GET /repos/octo-org/missing/issues (404 Not Found): check the repository name and "
          "that the token can see it");
  }
  SUBCASE("404 for an issue that does not exist") {
    CHECK(h.client.get_issue(FakeGitHubHarness::k_repo, 77).error().kind == ErrorKind::not_found);
  }
  SUBCASE("410 when issues are disabled") {
    h.github.set_issues_enabled(FakeGitHubHarness::k_repo, false);
    auto issue = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "x"});
    REQUIRE_FALSE(issue);
    CHECK(issue.error().kind == ErrorKind::gone);
    CHECK(issue.error().message ==
          "GitHub refused POST /repos/octo-org/app/issues (410 Issues has been disabled in this repository.): issues "
          "are disabled on the repository; enable them under Settings > General > Features");
  }
  SUBCASE("422 carries the API's errors array") {
    auto issue = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = ""});
    REQUIRE_FALSE(issue);
    CHECK(issue.error().kind == ErrorKind::validation);
    CHECK(issue.error().message ==
          "GitHub rejected POST /repos/octo-org/app/issues (422 Validation Failed): Issue.title missing_field");
    REQUIRE(issue.error().errors.size() == 1);
    CHECK(issue.error().errors[0] == github::ValidationError{"Issue", "missing_field", "title", "", ""});
  }
  SUBCASE("422 for an unknown milestone echoes the value") {
    auto issue = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "x", .milestone = 9});
    REQUIRE_FALSE(issue);
    CHECK(issue.error().errors[0] == github::ValidationError{"Issue", "invalid", "milestone", "", "9"});
  }
  SUBCASE("422 for an invalid state_reason") {
    auto issue =
        h.client.update_issue(FakeGitHubHarness::k_repo, number, {.state = "closed", .state_reason = "wontfix"});
    REQUIRE_FALSE(issue);
    CHECK(issue.error().message ==
          "GitHub rejected PATCH /repos/octo-org/app/issues/1 (422 Validation Failed): Issue.state_reason invalid");
  }
  SUBCASE("5xx after every retry") {
    h.github.inject({.fault = FaultKind::http_502, .times = 0});
    auto error = list_error(h);
    CHECK(error.kind == ErrorKind::server_error);
    CHECK(error.status == 502);
    CHECK(error.message == "GitHub failed GET /repos/octo-org/app/issues with 502 (after 4 attempts)");
    CHECK(h.github.requests().size() == 4);
  }
  SUBCASE("transport errors after every retry") {
    h.github.inject({.fault = FaultKind::reset, .times = 0});
    auto error = list_error(h);
    CHECK(error.kind == ErrorKind::transport);
    CHECK(error.status == 0);
    CHECK(error.message ==
          "could not reach GitHub for GET /repos/octo-org/app/issues: connection reset by peer (injected) (after 4 "
          "attempts)");
  }
  SUBCASE("a rate limit that outlasts the retries") {
    h.github.inject({.fault = FaultKind::too_many_requests, .times = 0, .retry_after = 1});
    auto error = list_error(h);
    CHECK(error.kind == ErrorKind::rate_limited);
    CHECK(error.message ==
          "GitHub rate limit hit on GET /repos/octo-org/app/issues (429 You have exceeded a secondary rate limit. "
          "Please wait a few minutes before you try again.) (after 4 attempts)");
    CHECK(h.clock.sleeps() == std::vector<std::chrono::milliseconds>{1s, 1s, 1s});
  }
  SUBCASE("a wait past the budget gives up at once") {
    h.github.inject({.fault = FaultKind::primary_limit, .retry_after = 7200});
    auto error = list_error(h);
    CHECK(error.kind == ErrorKind::budget_exhausted);
    CHECK(error.status == 403);
    CHECK(error.message ==
          "gave up on GET /repos/octo-org/app/issues: waiting 7201 s for the rate limit to reset would exceed the wait "
          "budget of 600 s (0 s already spent). Last error: GitHub rate limit hit on GET /repos/octo-org/app/issues "
          "(403 API rate limit exceeded for installation ID 1.)");
    CHECK(h.clock.sleeps().empty());
  }
  SUBCASE("the budget spans requests") {
    h.github.inject({.fault = FaultKind::secondary_limit, .times = 0});
    auto options = pw::test::test_client_options();
    options.wait_budget = 150s;
    github::Client client(options, h.transport, h.clock);
    auto issues = client.list_issues(FakeGitHubHarness::k_repo);
    REQUIRE_FALSE(issues);
    CHECK(issues.error().kind == ErrorKind::budget_exhausted);
    CHECK(issues.error().message.starts_with(
        "gave up on GET /repos/octo-org/app/issues: waiting 120 s for the secondary rate limit would exceed the wait "
        "budget of 150 s (60 s already spent)."));
    CHECK(client.waited() == 60s);
  }
}

TEST_CASE("github_client errors: undecodable responses") {
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  github::Client client(pw::test::test_client_options(), transport, clock);
  transport.push(github::HttpResponse{200, {}, "<html>not json</html>"});
  auto issue = client.get_issue("octo-org/app", 1);
  REQUIRE_FALSE(issue);
  CHECK(issue.error().kind == ErrorKind::decode);
  CHECK(issue.error().message ==
        "unexpected response from GitHub for GET /repos/octo-org/app/issues/1: not valid JSON");

  transport.push(github::HttpResponse{200, {}, R"([{"number": 1, "title": "t", "state": 5}])"});
  auto issues = client.list_issues("octo-org/app");
  CHECK(issues.error().message ==
        "unexpected response from GitHub for GET /repos/octo-org/app/issues: issue #1: field \"state\" is not a "
        "string");

  transport.push(github::HttpResponse{201, {}, R"({"number": "x"})"});
  auto created = client.create_issue("octo-org/app", {.title = "t"});
  CHECK(created.error().kind == ErrorKind::decode);
  CHECK(created.error().may_have_applied);
  CHECK(created.error().to_string() ==
        "unexpected response from GitHub for POST /repos/octo-org/app/issues: field \"number\" is not an integer The "
        "change may have been applied on GitHub; check before trying again.");

  transport.push(github::HttpResponse{301, {{"location", "https://api.github.com/repositories/5/issues"}}, ""});
  CHECK(
      client.list_issues("octo-org/app").error().message ==
      "GitHub rejected GET /repos/octo-org/app/issues (301): it moved to https://api.github.com/repositories/5/issues");
}

TEST_CASE("github_client errors: kind names") {
  CHECK(github::error_kind_name(ErrorKind::unauthorized) == "unauthorized");
  CHECK(github::error_kind_name(ErrorKind::budget_exhausted) == "budget_exhausted");
  CHECK(github::error_kind_name(ErrorKind::request_rejected) == "request_rejected");
  CHECK(github::Error{ErrorKind::gone, 410, "m", {}, false}.to_string() == "m");
}

TEST_CASE("github_client errors: a canary token never shows in an error") {
  const std::string canary = "ghp_CANARY_0123456789abcdefghijklmnopqrstuv";
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  auto options = pw::test::test_client_options();
  options.token = canary;
  github::Client client(options, transport, clock);

  // A hostile server echoes the Authorization header everywhere it can.
  std::vector<std::function<pw::test::ScriptedTransport::Reply(const std::string&)>> echoes = {
      [](const std::string& auth) {
        return github::HttpResponse{401, {}, nlohmann::json{{"message", "bad " + auth}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{403, {}, nlohmann::json{{"message", auth + " lacks issues: write"}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{404, {}, nlohmann::json{{"message", auth}}.dump()};
      },
      [](const std::string& auth) {
        nlohmann::json error{{"resource", auth}, {"code", auth}, {"field", auth}, {"message", auth}, {"value", auth}};
        return github::HttpResponse{
            422, {}, nlohmann::json{{"message", auth}, {"errors", nlohmann::json::array({error})}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{503, {}, nlohmann::json{{"message", auth}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{429, {{"retry-after", "1"}}, nlohmann::json{{"message", auth}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{403,
                                    {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "4102444800"}},
                                    nlohmann::json{{"message", auth}}.dump()};
      },
      [](const std::string& auth) {
        return github::HttpResponse{301, {{"location", "https://x/" + auth}}, ""};
      },
      [](const std::string& auth) {
        return github::HttpResponse{200, {{"link", "<https://elsewhere/" + auth + ">; rel=next"}}, "[]"};
      },
      [](const std::string& auth) {
        return github::HttpResponse{200, {}, nlohmann::json::array({{{"number", auth}}}).dump()};
      },
      [](const std::string& auth) -> pw::test::ScriptedTransport::Reply {
        return std::unexpected(github::TransportError{github::TransportErrorKind::reset, "reset " + auth, true});
      },
  };
  std::vector<std::function<std::optional<github::Error>()>> operations = {
      [&] {
        auto r = client.list_issues("octo-org/app");
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.get_issue("octo-org/app", 1);
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.create_issue("octo-org/app", {.title = "t"});
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.update_issue("octo-org/app", 1, {.state = "closed"});
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.create_comment("octo-org/app", 1, "c");
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.list_comments("octo-org/app", 1);
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.list_labels("octo-org/app");
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.create_label("octo-org/app", {"l", "ededed", ""});
        return r ? std::nullopt : std::optional(r.error());
      },
      [&] {
        auto r = client.add_labels("octo-org/app", 1, {"l"});
        return r ? std::nullopt : std::optional(r.error());
      },
  };
  std::size_t errors_seen = 0;
  for (const auto& echo : echoes) {
    transport.set_responder([&](const github::HttpRequest& request) {
      const std::string* auth = github::find_header(request.headers, "authorization");
      REQUIRE(auth != nullptr);
      CHECK(*auth == "Bearer " + canary);
      return echo(*auth);
    });
    for (const auto& operation : operations) {
      auto error = operation();
      if (!error) {
        continue;
      }
      ++errors_seen;
      CHECK(error->to_string().find(canary) == std::string::npos);
      for (const auto& entry : error->errors) {
        for (const std::string* field : {&entry.resource, &entry.code, &entry.field, &entry.message, &entry.value}) {
          CHECK(field->find(canary) == std::string::npos);
        }
      }
    }
  }
  CHECK(errors_seen >= 90);
}
