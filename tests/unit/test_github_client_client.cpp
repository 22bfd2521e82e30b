#include <github_client/client.hpp>
#include <github_client/iso8601.hpp>
#include <support/fake_clock.hpp>
#include <support/fake_github/harness.hpp>
#include <support/fake_github/scripted_transport.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

using pw::test::FakeGitHubHarness;
using pw::test::SeedIssue;
using namespace std::chrono_literals;

namespace {

std::vector<int> numbers(const std::vector<github::Issue>& issues) {
  std::vector<int> result;
  for (const auto& issue : issues) {
    result.push_back(issue.number);
  }
  return result;
}

}  // namespace

TEST_CASE("github_client client: every request carries GitHub's headers") {
  FakeGitHubHarness h;
  REQUIRE(h.client.create_issue(FakeGitHubHarness::k_repo, {"t", "b", {}, {}, std::nullopt}));
  auto headers = h.transport.last_headers();
  auto header = [&](std::string_view name) {
    const std::string* value = github::find_header(headers, name);
    return value != nullptr ? *value : std::string("<absent>");
  };
  CHECK(header("Accept") == "application/vnd.github+json");
  CHECK(header("X-GitHub-Api-Version") == "2022-11-28");
  CHECK(header("User-Agent") == "probewatch/test");
  CHECK(header("Authorization") == "Bearer " + std::string(FakeGitHubHarness::k_token));
  CHECK(header("Content-Type") == "application/json; charset=utf-8");
  CHECK(github::default_user_agent().starts_with("probewatch/"));
  CHECK(h.github.requests().back().body == R"({"body":"b","title":"t"})");
}

TEST_CASE("github_client client: list_issues reads every page through Link headers") {
  FakeGitHubHarness h;
  auto start = h.clock.now();
  for (int i = 1; i <= 250; ++i) {
    SeedIssue seed{.title = "issue " + std::to_string(i), .labels = {"probewatch"}};
    seed.created_at = start + std::chrono::minutes{i};
    h.github.add_issue(FakeGitHubHarness::k_repo, seed);
    if (i % 50 == 0) {
      h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "pr", .labels = {"probewatch"}});
      h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "unlabeled"});
      h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "closed", .labels = {"probewatch"}, .state = "closed"});
    }
  }
  github::ListIssuesQuery query;
  query.labels = {"probewatch"};
  auto issues = h.client.list_issues(FakeGitHubHarness::k_repo, query);
  REQUIRE(issues);
  REQUIRE(issues->size() == 250);
  CHECK(issues->front().title == "issue 250");
  CHECK(issues->back().title == "issue 1");
  CHECK(std::ranges::is_sorted(*issues, [](const auto& a, const auto& b) { return a.created_at > b.created_at; }));
  CHECK(std::ranges::none_of(*issues, [](const auto& issue) { return issue.title == "pr"; }));

  auto log = h.github.requests();
  REQUIRE(log.size() == 3);
  CHECK(log[0].path == "/repos/octo-org/app/issues");
  CHECK(log[0].query == "labels=probewatch&state=open&per_page=100");
  CHECK(log[1].path == "/repositories/1000/issues");
  CHECK(log[1].query == "labels=probewatch&state=open&per_page=100&page=2");
  CHECK(log[2].query == "labels=probewatch&state=open&per_page=100&page=3");
  CHECK(h.client.requests() == 3);
}

TEST_CASE("github_client client: list_issues filters") {
  FakeGitHubHarness h;
  auto t0 = h.clock.now();
  h.github.add_issue(
      FakeGitHubHarness::k_repo,
      {.title = "a", .labels = {"sev: 1", "probewatch"}, .author = "alice", .created_at = t0, .updated_at = t0 + 5h});
  h.github.add_issue(FakeGitHubHarness::k_repo,
                     {.title = "b", .labels = {"probewatch"}, .author = "bob", .created_at = t0 + 1h});
  h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "c",
                                                 .labels = {"probewatch"},
                                                 .author = "bob",
                                                 .state = "closed",
                                                 .created_at = t0 + 2h,
                                                 .updated_at = t0 + 3h});

  SUBCASE("labels: every one must be present, names are encoded") {
    auto issues = h.client.list_issues(FakeGitHubHarness::k_repo, {.labels = {"probewatch", "sev: 1"}});
    REQUIRE(issues);
    CHECK(numbers(*issues) == std::vector<int>{1});
    CHECK(h.github.requests().back().query == "labels=probewatch,sev%3A%201&state=open&per_page=100");
  }
  SUBCASE("state") {
    CHECK(numbers(*h.client.list_issues(FakeGitHubHarness::k_repo, {.state = "closed"})) == std::vector<int>{3});
    CHECK(numbers(*h.client.list_issues(FakeGitHubHarness::k_repo, {.state = "all"})) == std::vector<int>{3, 2, 1});
  }
  SUBCASE("creator") {
    CHECK(numbers(*h.client.list_issues(FakeGitHubHarness::k_repo, {.state = "all", .creator = "bob"})) ==
          std::vector<int>{3, 2});
  }
  SUBCASE("since compares updated_at") {
    auto issues = h.client.list_issues(FakeGitHubHarness::k_repo, {.state = "all", .since = t0 + 3h});
    CHECK(numbers(*issues) == std::vector<int>{3, 1});
    CHECK(h.github.requests().back().query == "state=all&since=2026-11-27T03%3A00%3A00Z&per_page=100");
  }
  SUBCASE("sort and direction") {
    auto issues =
        h.client.list_issues(FakeGitHubHarness::k_repo, {.state = "all", .sort = "updated", .direction = "asc"});
    CHECK(numbers(*issues) == std::vector<int>{2, 3, 1});
  }
}

TEST_CASE("github_client client: get, create and update issues") {
  FakeGitHubHarness h;
  h.github.add_milestone(FakeGitHubHarness::k_repo, 4);
  auto created = h.client.create_issue(
      FakeGitHubHarness::k_repo,
      {"api-health is failing", "<!-- probewatch:v1 {} -->", {"probewatch", "sev:1"}, {"alice"}, 4});
  REQUIRE(created);
  CHECK(created->number == 1);
  CHECK(created->state == "open");
  CHECK(created->labels == std::vector<std::string>{"probewatch", "sev:1"});
  CHECK(created->assignees == std::vector<std::string>{"alice"});
  CHECK(created->user == "github-actions[bot]");
  CHECK(created->html_url == "https://github.com/octo-org/app/issues/1");
  CHECK(h.github.count_requests("POST") == 1);
  CHECK(h.github.labels(FakeGitHubHarness::k_repo).size() == 2);
  CHECK(h.github.issue(FakeGitHubHarness::k_repo, 1)->milestone == 4);

  auto fetched = h.client.get_issue(FakeGitHubHarness::k_repo, 1);
  REQUIRE(fetched);
  CHECK(*fetched == *created);

  h.clock.advance(1h);
  auto closed = h.client.update_issue(FakeGitHubHarness::k_repo, 1, {.state = "closed", .state_reason = "not_planned"});
  REQUIRE(closed);
  CHECK(closed->state == "closed");
  CHECK(closed->state_reason == "not_planned");
  CHECK(closed->closed_at == "2026-11-27T01:00:00Z");
  CHECK(h.github.requests().back().body == R"({"state":"closed","state_reason":"not_planned"})");

  auto reopened =
      h.client.update_issue(FakeGitHubHarness::k_repo, 1, {.title = "renamed", .body = "new body", .state = "open"});
  REQUIRE(reopened);
  CHECK(reopened->state == "open");
  CHECK(reopened->state_reason == "reopened");
  CHECK(reopened->closed_at.empty());
  CHECK(reopened->title == "renamed");
  CHECK(reopened->body == "new body");

  auto duplicate =
      h.client.update_issue(FakeGitHubHarness::k_repo, 1, {.state = "closed", .state_reason = "duplicate"});
  REQUIRE(duplicate);
  CHECK(duplicate->state_reason == "duplicate");
  CHECK(h.github.count_requests("PATCH") == 3);
}

TEST_CASE("github_client client: comments") {
  FakeGitHubHarness h;
  int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "down"});
  h.github.add_comment(FakeGitHubHarness::k_repo, number, "old note");
  h.clock.advance(2h);
  auto comment = h.client.create_comment(FakeGitHubHarness::k_repo, number, "still failing");
  REQUIRE(comment);
  CHECK(comment->body == "still failing");
  CHECK(comment->user == "github-actions[bot]");
  CHECK(comment->html_url.starts_with("https://github.com/octo-org/app/issues/1#issuecomment-"));

  auto all = h.client.list_comments(FakeGitHubHarness::k_repo, number);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].body == "old note");
  auto recent = h.client.list_comments(FakeGitHubHarness::k_repo, number, h.clock.now() - 1h);
  REQUIRE(recent);
  REQUIRE(recent->size() == 1);
  CHECK((*recent)[0].body == "still failing");
  CHECK(h.github.issue(FakeGitHubHarness::k_repo, number)->comments == 2);
}

TEST_CASE("github_client client: labels") {
  FakeGitHubHarness h;
  for (int i = 0; i < 120; ++i) {
    h.github.add_label(FakeGitHubHarness::k_repo, "label-" + std::to_string(i));
  }
  auto labels = h.client.list_labels(FakeGitHubHarness::k_repo);
  REQUIRE(labels);
  CHECK(labels->size() == 120);
  CHECK(h.github.count_requests("GET", "list_labels") == 2);

  auto created = h.client.create_label(FakeGitHubHarness::k_repo, {"probewatch", "d73a4a", "Managed by probewatch"});
  REQUIRE(created);
  CHECK(*created == github::Label{"probewatch", "d73a4a", "Managed by probewatch"});

  SUBCASE("creating one that exists counts as success, without a retry") {
    h.github.clear_requests();
    auto again = h.client.create_label(FakeGitHubHarness::k_repo, {"ProbeWatch", "000000", ""});
    REQUIRE(again);
    CHECK(again->name == "ProbeWatch");
    CHECK(h.github.requests().size() == 1);
  }
  SUBCASE("adding labels adds, never replaces") {
    int number = h.github.add_issue(FakeGitHubHarness::k_repo, {.title = "t", .labels = {"keep-me"}});
    auto result = h.client.add_labels(FakeGitHubHarness::k_repo, number, {"probewatch", "brand-new"});
    REQUIRE(result);
    std::vector<std::string> names;
    for (const auto& label : *result) {
      names.push_back(label.name);
    }
    CHECK(names == std::vector<std::string>{"keep-me", "probewatch", "brand-new"});
    CHECK(h.github.count_requests("PATCH") == 0);
    CHECK(h.github.requests().back().body == R"({"labels":["probewatch","brand-new"]})");
  }
}

TEST_CASE("github_client client: writes are paced, reads are not") {
  auto options = pw::test::test_client_options();
  options.write_spacing = 1000ms;
  FakeGitHubHarness h(options);
  REQUIRE(h.client.create_issue(FakeGitHubHarness::k_repo, {.title = "one"}));
  REQUIRE(h.client.list_issues(FakeGitHubHarness::k_repo));
  REQUIRE(h.client.get_issue(FakeGitHubHarness::k_repo, 1));
  h.clock.advance(300ms);
  REQUIRE(h.client.create_comment(FakeGitHubHarness::k_repo, 1, "two"));
  REQUIRE(h.client.update_issue(FakeGitHubHarness::k_repo, 1, {.state = "closed"}));
  CHECK(h.clock.sleeps() == std::vector<std::chrono::milliseconds>{700ms, 1000ms});
  CHECK(h.client.waited() == 0ms);
}

TEST_CASE("github_client client: accounting for the report") {
  FakeGitHubHarness h;
  CHECK(h.client.requests() == 0);
  CHECK_FALSE(h.client.rate_limit_remaining());
  h.github.set_rate_limit(42);
  REQUIRE(h.client.list_issues(FakeGitHubHarness::k_repo));
  REQUIRE(h.client.list_labels(FakeGitHubHarness::k_repo));
  CHECK(h.client.requests() == 2);
  CHECK(h.client.rate_limit_remaining() == 40);
}

TEST_CASE("github_client client: an exhausted rate limit is waited out before the next request") {
  FakeGitHubHarness h;
  h.github.set_rate_limit(1, h.clock.now() + 5min);
  REQUIRE(h.client.list_issues(FakeGitHubHarness::k_repo));
  CHECK(h.client.rate_limit_remaining() == 0);
  REQUIRE(h.client.list_issues(FakeGitHubHarness::k_repo));
  CHECK(h.clock.sleeps() == std::vector<std::chrono::milliseconds>{301s});
  CHECK(h.github.requests().size() == 2);
  CHECK(h.client.rate_limit_remaining() == 4999);
}

TEST_CASE("github_client client: a path prefix such as GitHub Enterprise Server's /api/v3") {
  pw::test::ManualClock clock;
  pw::test::FakeGitHub github(clock, {.api_prefix = "/api/v3", .web_url = "https://ghe.example.com"});
  pw::test::FakeTransport transport(github);
  auto options = pw::test::test_client_options();
  options.api_url = "https://ghe.example.com/api/v3/";
  github::Client client(options, transport, clock);
  github.add_repo("octo-org/app");
  for (int i = 0; i < 101; ++i) {
    github.add_issue("octo-org/app", {.title = "t"});
  }
  auto issues = client.list_issues("octo-org/app");
  REQUIRE(issues);
  CHECK(issues->size() == 101);
  CHECK(issues->front().html_url == "https://ghe.example.com/octo-org/app/issues/101");
  auto log = github.requests();
  REQUIRE(log.size() == 2);
  CHECK(log[1].path == "/repositories/1000/issues");
}

TEST_CASE("github_client client: the token never follows a Link to another host") {
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  github::Client client(pw::test::test_client_options(), transport, clock);
  transport.push(github::HttpResponse{200, {{"link", "<https://evil.example.com/steal?page=2>; rel=\"next\""}}, "[]"});
  auto issues = client.list_issues("octo-org/app");
  REQUIRE_FALSE(issues);
  CHECK(issues.error().kind == github::ErrorKind::decode);
  CHECK(issues.error().message ==
        "unexpected response from GitHub for GET /repos/octo-org/app/issues: the Link header's next page is on "
        "https://evil.example.com, not https://api.github.com; refusing to send the token there");
  CHECK(transport.requests().size() == 1);
}

TEST_CASE("github_client client: delete_comment removes a comment; one already gone counts as deleted") {
  FakeGitHubHarness h;
  auto issue = h.client.create_issue(FakeGitHubHarness::k_repo, {"t", "b", {}, {}, std::nullopt});
  REQUIRE(issue);
  auto first = h.client.create_comment(FakeGitHubHarness::k_repo, issue->number, "one");
  auto second = h.client.create_comment(FakeGitHubHarness::k_repo, issue->number, "two");
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(h.client.delete_comment(FakeGitHubHarness::k_repo, second->id));
  CHECK(h.github.requests().back().method == "DELETE");
  CHECK(h.github.requests().back().path ==
        fmt::format("/repos/{}/issues/comments/{}", FakeGitHubHarness::k_repo, second->id));
  CHECK(h.github.requests().back().status == 204);
  auto left = h.client.list_comments(FakeGitHubHarness::k_repo, issue->number);
  REQUIRE(left);
  REQUIRE(left->size() == 1);
  CHECK(left->front().body == "one");
  REQUIRE(h.client.delete_comment(FakeGitHubHarness::k_repo, second->id));  // 404: another run deleted it
  CHECK(h.github.requests().back().status == 404);
}

TEST_CASE("github_client client: a next page on the same host spelled differently is asked for as configured") {
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  github::Client client(pw::test::test_client_options(), transport, clock);
  transport.push(github::HttpResponse{
      200, {{"link", "<https://API.GitHub.com:443/repositories/1/issues?page=2>; rel=\"next\""}}, "[]"});
  transport.push(github::HttpResponse{200, {}, "[]"});
  REQUIRE(client.list_issues("octo-org/app"));
  REQUIRE(transport.requests().size() == 2);
  CHECK(transport.requests()[1].url == "https://api.github.com/repositories/1/issues?page=2");
}

TEST_CASE("github_client client: a Link loop is stopped") {
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  github::Client client(pw::test::test_client_options(), transport, clock);
  transport.set_responder([](const github::HttpRequest&) {
    return github::HttpResponse{
        200, {{"link", "<https://api.github.com/repositories/1/issues?page=2>; rel=next"}}, "[]"};
  });
  auto issues = client.list_issues("octo-org/app");
  REQUIRE_FALSE(issues);
  CHECK(issues.error().message ==
        "unexpected response from GitHub for GET /repos/octo-org/app/issues (page 2): the Link headers loop or never "
        "end");
  CHECK(transport.requests().size() == 2);
}

TEST_CASE("github_client client: unusable arguments") {
  pw::test::ScriptedTransport transport;
  pw::test::ManualClock clock;
  github::Client client(pw::test::test_client_options(), transport, clock);
  for (std::string_view repo : {"octo-org", "octo-org/app/extra", "/app", "octo org/app", "../x", ""}) {
    auto issues = client.list_issues(repo);
    REQUIRE_FALSE(issues);
    CHECK(issues.error().kind == github::ErrorKind::invalid_argument);
    CHECK(issues.error().message == "the repository \"" + std::string(repo) + "\" is not in the form owner/name");
  }
  auto options = pw::test::test_client_options();
  options.api_url = "api.github.com";
  github::Client misconfigured(options, transport, clock);
  auto issue = misconfigured.get_issue("octo-org/app", 1);
  REQUIRE_FALSE(issue);
  CHECK(issue.error().message ==
        "the GitHub API URL \"api.github.com\" is not usable: it does not start with http:// or https://; set "
        "GITHUB_API_URL to a URL such as https://api.github.com");
  CHECK(transport.requests().empty());
}

TEST_CASE("github_client client: one pw::test::FakeClock can drive the client and the fake") {
  pw::test::FakeClock bot_clock;  // pw::Clock is github::Clock: no adapter needed
  pw::test::FakeGitHub github(bot_clock);
  pw::test::FakeTransport transport(github);
  github::Client client(pw::test::test_client_options(), transport, bot_clock);
  github.add_repo("octo-org/app");
  github.inject({.fault = pw::test::FaultKind::secondary_limit, .retry_after = 42});
  REQUIRE(client.list_issues("octo-org/app"));
  CHECK(bot_clock.sleeps() == std::vector<std::chrono::milliseconds>{42s});
  CHECK(github.now() == bot_clock.now());
}

TEST_CASE("github_client client: list_pulls_for_commit names the pull requests a commit came from") {
  FakeGitHubHarness h;
  const std::string sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";
  const int open = h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "Backport"});
  const int merged = h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "Fix the health check"});
  h.github.add_commit(FakeGitHubHarness::k_repo, sha, {merged});
  h.github.add_commit(FakeGitHubHarness::k_repo, "9d8e7f6a5b4c3d2e1f00112233445566778899aa", {open}, false);

  auto pulls = h.client.list_pulls_for_commit(FakeGitHubHarness::k_repo, sha);
  REQUIRE_MESSAGE(pulls.has_value(), pulls.error().message);
  REQUIRE(pulls->size() == 1);
  CHECK((*pulls)[0].number == merged);
  CHECK((*pulls)[0].title == "Fix the health check");
  CHECK((*pulls)[0].state == "closed");
  CHECK((*pulls)[0].html_url == fmt::format("https://github.com/{}/pull/{}", FakeGitHubHarness::k_repo, merged));
  CHECK_FALSE((*pulls)[0].merged_at.empty());
  CHECK(h.github.requests().back().path == fmt::format("/repos/{}/commits/{}/pulls", FakeGitHubHarness::k_repo, sha));
  CHECK(h.github.requests().back().operation == "list_pulls_for_commit");

  auto by_prefix = h.client.list_pulls_for_commit(FakeGitHubHarness::k_repo, "9D8E7F6");
  REQUIRE(by_prefix.has_value());
  REQUIRE(by_prefix->size() == 1);
  CHECK((*by_prefix)[0].merged_at.empty());
  CHECK((*by_prefix)[0].state == "open");

  auto unknown = h.client.list_pulls_for_commit(FakeGitHubHarness::k_repo, "0000000");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().kind == github::ErrorKind::validation);
  CHECK(unknown.error().status == 422);

  const std::size_t before = h.client.requests();
  auto hostile = h.client.list_pulls_for_commit(FakeGitHubHarness::k_repo, "../issues/1");
  REQUIRE_FALSE(hostile.has_value());
  CHECK(hostile.error().kind == github::ErrorKind::invalid_argument);
  CHECK(hostile.error().message == "GET /repos/octo-org/app/commits/?/pulls: the commit must be 7 to 64 hex digits");
  CHECK(h.client.requests() == before);  // refused before any request
}
