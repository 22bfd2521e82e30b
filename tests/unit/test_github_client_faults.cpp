// Every injected fault: the operation either retries and succeeds or returns the documented
// typed error. It never creates twice and never crashes.
#include <github_client/client.hpp>
#include <support/fake_github/harness.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

using github::ErrorKind;
using pw::test::FakeGitHubHarness;
using pw::test::FaultKind;
using pw::test::FaultRule;
using namespace std::chrono_literals;

namespace {

const std::vector<FaultKind> k_all_faults = {
    FaultKind::http_500,  FaultKind::http_502,        FaultKind::http_503,      FaultKind::unauthorized,
    FaultKind::forbidden, FaultKind::secondary_limit, FaultKind::primary_limit, FaultKind::too_many_requests,
    FaultKind::gone,      FaultKind::validation,      FaultKind::reset,         FaultKind::timeout,
    FaultKind::refuse,
};

// What a single fault on the first attempt must lead to.
std::optional<ErrorKind> expected_error(FaultKind fault) {
  switch (fault) {
    case FaultKind::unauthorized: return ErrorKind::unauthorized;
    case FaultKind::forbidden: return ErrorKind::forbidden;
    case FaultKind::gone: return ErrorKind::gone;
    case FaultKind::validation: return ErrorKind::validation;
    default: return std::nullopt;  // retried, then succeeds
  }
}

}  // namespace

TEST_CASE("github_client faults: create_issue under every fault, before and after applying") {
  for (FaultKind fault : k_all_faults) {
    for (bool after_apply : {false, true}) {
      CAPTURE(pw::test::fault_name(fault));
      CAPTURE(after_apply);
      FakeGitHubHarness h;
      h.github.inject({.fault = fault, .operation = "create_issue", .after_apply = after_apply, .retry_after = 5});
      auto created = h.client.create_issue(FakeGitHubHarness::k_repo,
                                           {"api-health is failing", "<!-- probewatch:v1 -->", {"probewatch"}});
      auto issues = h.github.issues(FakeGitHubHarness::k_repo);
      CHECK(issues.size() <= 1);
      auto expected = expected_error(fault);
      if (expected) {
        REQUIRE_FALSE(created);
        CHECK(created.error().kind == *expected);
        CHECK(created.error().may_have_applied == false);
        CHECK(issues.empty());
      } else {
        REQUIRE(created);
        REQUIRE(issues.size() == 1);
        CHECK(created->number == issues[0].number);
        CHECK(created->labels == std::vector<std::string>{"probewatch"});
      }
    }
  }
}

TEST_CASE("github_client faults: a create that may have been applied is looked for, not repeated") {
  for (FaultKind fault : {FaultKind::reset, FaultKind::timeout, FaultKind::http_502, FaultKind::http_500}) {
    CAPTURE(pw::test::fault_name(fault));
    FakeGitHubHarness h;
    h.github.inject({.fault = fault, .operation = "create_issue", .after_apply = true});
    auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t", .body = "b"});
    REQUIRE(created);
    CHECK(h.github.count_requests("POST") == 1);
    auto log = h.github.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[1].query == "state=all&sort=created&direction=desc&per_page=30");
  }
}

TEST_CASE("github_client faults: a create that was not applied is retried after looking") {
  FakeGitHubHarness h;
  h.github.inject({.fault = FaultKind::reset, .operation = "create_issue", .times = 2});
  auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t", .body = "b"});
  REQUIRE(created);
  CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() == 1);
  CHECK(h.github.count_requests("POST") == 3);
  CHECK(h.github.count_requests("GET") == 2);
}

TEST_CASE("github_client faults: a refused connection is retried without looking") {
  FakeGitHubHarness h;
  h.github.inject({.fault = FaultKind::refuse, .operation = "create_issue"});
  REQUIRE(h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t"}));
  CHECK(h.github.count_requests("GET") == 0);
  CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() == 1);
}

TEST_CASE("github_client faults: when the check itself fails, the error says the issue may exist") {
  FakeGitHubHarness h;
  h.github.inject({.fault = FaultKind::reset, .operation = "create_issue", .after_apply = true});
  h.github.inject({.fault = FaultKind::http_500, .operation = "list_issues", .times = 0});
  auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t"});
  REQUIRE_FALSE(created);
  CHECK(created.error().kind == ErrorKind::transport);
  CHECK(created.error().may_have_applied);
  CHECK(
      created.error().message ==
      "could not reach GitHub for POST /repos/octo-org/app/issues: connection reset by peer (injected); then checking "
      "whether the issue was created failed: GitHub failed GET /repos/octo-org/app/issues (looking for the issue "
      "just created) with 500 Server Error (after 4 attempts)");
  CHECK(h.github.count_requests("POST") == 1);
  CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() == 1);
}

TEST_CASE("github_client faults: a create that keeps failing ends in a typed error, never a duplicate") {
  SUBCASE("never applied") {
    FakeGitHubHarness h;
    h.github.inject({.fault = FaultKind::http_502, .operation = "create_issue", .times = 0});
    auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t"});
    REQUIRE_FALSE(created);
    CHECK(created.error().kind == ErrorKind::server_error);
    CHECK_FALSE(created.error().may_have_applied);
    CHECK(created.error().message == "GitHub failed POST /repos/octo-org/app/issues with 502 (after 4 attempts)");
    CHECK(h.github.issues(FakeGitHubHarness::k_repo).empty());
  }
  SUBCASE("an older issue with the same title but another body is not mistaken for it") {
    FakeGitHubHarness h;
    h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t", .body = "older"});
    h.github.inject({.fault = FaultKind::timeout, .operation = "create_issue"});
    auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t", .body = "newer"});
    REQUIRE(created);
    CHECK(created->number == 2);
    CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() == 2);
  }
}

TEST_CASE("github_client faults: rate limits are waited out through the clock") {
  struct Case {
    FaultRule rule;
    std::vector<std::chrono::milliseconds> sleeps;
  };
  const std::vector<Case> cases = {
      {{.fault = FaultKind::secondary_limit, .retry_after = 30}, {30s}},
      {{.fault = FaultKind::secondary_limit}, {60s}},
      {{.fault = FaultKind::secondary_limit, .times = 3}, {60s, 120s, 240s}},
      {{.fault = FaultKind::too_many_requests}, {60s}},
      {{.fault = FaultKind::too_many_requests, .retry_after = 7}, {7s}},
      {{.fault = FaultKind::primary_limit, .retry_after = 120}, {121s}},
  };
  for (const auto& test : cases) {
    CAPTURE(pw::test::fault_name(test.rule.fault));
    FakeGitHubHarness h;
    h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t"});
    h.github.inject(test.rule);
    auto issues = h.client.list_issues(FakeGitHubHarness::k_repo);
    REQUIRE(issues);
    CHECK(issues->size() == 1);
    CHECK(h.clock.sleeps() == test.sleeps);
  }
}

TEST_CASE("github_client faults: 5xx and transport errors back off with jitter") {
  FakeGitHubHarness h;
  h.github.inject({.fault = FaultKind::http_503, .times = 3});
  REQUIRE(h.client.list_issues(FakeGitHubHarness::k_repo));
  auto sleeps = h.clock.sleeps();
  REQUIRE(sleeps.size() == 3);
  for (std::size_t i = 0; i < sleeps.size(); ++i) {
    auto full = 1000ms * (1 << i);
    CHECK(sleeps[i] >= full / 2);
    CHECK(sleeps[i] <= full);
  }
}

TEST_CASE("github_client faults: a failure in the middle of pagination") {
  FakeGitHubHarness h;
  for (int i = 0; i < 250; ++i) {
    h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t"});
  }
  SUBCASE("retried") {
    h.github.inject({.fault = FaultKind::reset, .query = "page=2"});
    auto issues = h.client.list_issues(FakeGitHubHarness::k_repo);
    REQUIRE(issues);
    CHECK(issues->size() == 250);
    CHECK(h.github.count_requests("GET", "/repositories/1000/issues") == 3);
  }
  SUBCASE("persistent") {
    h.github.inject({.fault = FaultKind::http_502, .query = "page=3", .times = 0});
    auto issues = h.client.list_issues(FakeGitHubHarness::k_repo);
    REQUIRE_FALSE(issues);
    CHECK(issues.error().message ==
          "GitHub failed GET /repos/octo-org/app/issues (page 3) with 502 (after 4 attempts)");
  }
}

TEST_CASE("github_client faults: comments are looked for before a retry") {
  for (bool after_apply : {false, true}) {
    CAPTURE(after_apply);
    FakeGitHubHarness h;
    int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t"});
    h.github.add_comment(FakeGitHubHarness::k_repo, number, "still failing", "octocat", h.clock.now() - 1h);
    h.github.inject({.fault = FaultKind::timeout, .operation = "create_comment", .after_apply = after_apply});
    auto comment = h.client.create_comment(FakeGitHubHarness::k_repo, number, "still failing");
    REQUIRE(comment);
    CHECK(h.github.comments(FakeGitHubHarness::k_repo, number).size() == 2);
    CHECK(h.github.count_requests("POST") == (after_apply ? 1u : 2u));
  }
}

TEST_CASE("github_client faults: idempotent writes are simply retried") {
  FakeGitHubHarness h;
  int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t", .labels = {"a"}});
  SUBCASE("update") {
    h.github.inject({.fault = FaultKind::http_502, .operation = "update_issue", .after_apply = true});
    auto updated =
        h.client.update_issue(FakeGitHubHarness::k_repo, number, {.state = "closed", .state_reason = "completed"});
    REQUIRE(updated);
    CHECK(updated->state == "closed");
    CHECK(h.github.count_requests("PATCH") == 2);
  }
  SUBCASE("add labels") {
    h.github.inject({.fault = FaultKind::reset, .operation = "add_labels", .after_apply = true});
    auto labels = h.client.add_labels(FakeGitHubHarness::k_repo, number, {"b"});
    REQUIRE(labels);
    CHECK(labels->size() == 2);
    CHECK(h.github.issue(FakeGitHubHarness::k_repo, number)->labels == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("create label: the retry's already_exists is success") {
    h.github.inject({.fault = FaultKind::timeout, .operation = "create_label", .after_apply = true});
    auto label = h.client.create_label(FakeGitHubHarness::k_repo, {"probewatch", "d73a4a", ""});
    REQUIRE(label);
    CHECK(h.github.labels(FakeGitHubHarness::k_repo).size() == 2);
  }
  SUBCASE("an update that keeps failing says it may have been applied") {
    h.github.inject({.fault = FaultKind::http_500, .operation = "update_issue", .times = 0, .after_apply = true});
    auto updated = h.client.update_issue(FakeGitHubHarness::k_repo, number, {.state = "closed"});
    REQUIRE_FALSE(updated);
    CHECK(updated.error().may_have_applied);
  }
}

TEST_CASE("github_client faults: every fault on every operation ends in success or a typed error") {
  const std::vector<std::string> operations = {"list_issues",  "get_issue",     "create_issue",
                                               "update_issue", "list_comments", "create_comment",
                                               "list_labels",  "create_label",  "add_labels"};
  for (FaultKind fault : k_all_faults) {
    for (int times : {1, 0}) {
      for (bool after_apply : {false, true}) {
        for (const auto& operation : operations) {
          CAPTURE(pw::test::fault_name(fault));
          CAPTURE(times);
          CAPTURE(after_apply);
          CAPTURE(operation);
          FakeGitHubHarness h;
          int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "seed"});
          h.github.inject(
              {.fault = fault, .operation = operation, .times = times, .after_apply = after_apply, .retry_after = 1});
          std::optional<github::Error> error;
          auto keep = [&](const auto& result) {
            if (!result) {
              error = result.error();
            }
          };
          if (operation == "list_issues") {
            keep(h.client.list_issues(FakeGitHubHarness::k_repo));
          } else if (operation == "get_issue") {
            keep(h.client.get_issue(FakeGitHubHarness::k_repo, number));
          } else if (operation == "create_issue") {
            keep(h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "new", .body = "unique body"}));
          } else if (operation == "update_issue") {
            keep(h.client.update_issue(FakeGitHubHarness::k_repo, number, {.state = "closed"}));
          } else if (operation == "list_comments") {
            keep(h.client.list_comments(FakeGitHubHarness::k_repo, number));
          } else if (operation == "create_comment") {
            keep(h.client.create_comment(FakeGitHubHarness::k_repo, number, "unique comment"));
          } else if (operation == "list_labels") {
            keep(h.client.list_labels(FakeGitHubHarness::k_repo));
          } else if (operation == "create_label") {
            keep(h.client.create_label(FakeGitHubHarness::k_repo, {"new-label", "ededed", ""}));
          } else {
            keep(h.client.add_labels(FakeGitHubHarness::k_repo, number, {"x"}));
          }
          CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() <= 2);
          CHECK(h.github.comments(FakeGitHubHarness::k_repo, number).size() <= 1);
          if (times == 1 && !expected_error(fault)) {
            CHECK_FALSE(error);
          }
          if (error) {
            CHECK_FALSE(error->message.empty());
            bool documented = error->kind != ErrorKind::decode && error->kind != ErrorKind::invalid_argument &&
                              error->kind != ErrorKind::request_rejected;
            CHECK(documented);
          }
        }
      }
    }
  }
}

TEST_CASE("github_client faults: a create refused by a rate limit is still looked for before it is sent again") {
  FakeGitHubHarness h;
  h.github.inject(
      {.fault = FaultKind::secondary_limit, .operation = "create_issue", .after_apply = true, .retry_after = 10});
  auto created = h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "t"});
  REQUIRE(created);
  CHECK(h.github.count_requests("POST") == 1);
  CHECK(h.github.issues(FakeGitHubHarness::k_repo).size() == 1);
  CHECK(h.clock.sleeps() == std::vector<std::chrono::milliseconds>{10s});
}
