// The fake GitHub itself: it must behave like the real API where the client depends on it.
#include <github_client/decode.hpp>
#include <support/fake_github/control_api.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_transport.hpp>
#include <support/replay/replay_fixture.hpp>

#include <doctest/doctest.h>

using nlohmann::json;
using pw::test::FakeGitHub;
using pw::test::FaultKind;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view k_token = "ghs_fake_token";

github::HttpResponse call(FakeGitHub& github, std::string method, std::string path, std::string body = "",
                          bool authorized = true) {
  github::HttpRequest request{std::move(method), "https://api.github.com" + path, {}, std::move(body)};
  if (authorized) {
    request.headers.emplace_back("Authorization", "Bearer " + std::string(k_token));
  }
  return github.handle(request);
}

std::string header(const github::HttpResponse& response, std::string_view name) {
  const std::string* value = github::find_header(response.headers, name);
  return value != nullptr ? *value : "<absent>";
}

json body_of(const github::HttpResponse& response) { return json::parse(response.body); }

}  // namespace

TEST_CASE("fake_github: pagination Link headers match those recorded from api.github.com") {
  auto recorded = pw::test::load_scenario(pw::test::scenario_file(PROBEWATCH_SOURCE_DIR, "paginate-issues"));
  REQUIRE(recorded);
  FakeGitHub github;
  github.add_repo("octokit-fixture-org/paginate-issues");
  for (int i = 1; i <= 13; ++i) {
    github.add_issue("octokit-fixture-org/paginate-issues", {.title = "Test issue " + std::to_string(i)});
  }
  REQUIRE(recorded->size() == 5);
  for (const auto& exchange : *recorded) {
    CAPTURE(exchange.path);
    auto response = call(github, "GET", exchange.path);
    CHECK(response.status == 200);
    CHECK(header(response, "link") == *github::find_header(exchange.headers, "link"));
    json expected = json::parse(exchange.body);
    json actual = body_of(response);
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      CHECK(actual[i]["number"] == expected[i]["number"]);
      CHECK(actual[i]["title"] == expected[i]["title"]);
    }
  }
}

TEST_CASE("fake_github: issue lists include pull requests, as GitHub's do") {
  FakeGitHub github;
  github.add_repo("o/r");
  github.add_issue("o/r", {.title = "issue"});
  github.add_pull_request("o/r", {.title = "pr"});
  auto items = body_of(call(github, "GET", "/repos/o/r/issues"));
  REQUIRE(items.size() == 2);
  CHECK(items[0]["number"] == 2);
  CHECK(items[0].contains("pull_request"));
  CHECK(items[0]["html_url"] == "https://github.com/o/r/pull/2");
  CHECK_FALSE(items[1].contains("pull_request"));
  CHECK(call(github, "GET", "/repos/o/r/issues/2").status == 200);
}

TEST_CASE("fake_github: 401, 404, 410 and 422 bodies are shaped like GitHub's") {
  FakeGitHub github;
  github.add_repo("o/r");
  auto unauthenticated = call(github, "GET", "/repos/o/r/issues", "", false);
  CHECK(unauthenticated.status == 401);
  CHECK(body_of(unauthenticated)["message"] == "Requires authentication");
  CHECK(call(github, "GET", "/repos/o/missing/issues").status == 404);
  CHECK(call(github, "GET", "/repos/o/r/issues/5").status == 404);
  CHECK(call(github, "DELETE", "/repos/o/r/issues/5").status == 404);
  CHECK(call(github, "POST", "/repos/o/r/issues", "{not json").status == 400);

  auto missing_title = call(github, "POST", "/repos/o/r/issues", R"({"body":"b"})");
  CHECK(missing_title.status == 422);
  CHECK(body_of(missing_title) == json::parse(R"({"message":"Validation Failed",
                        "errors":[{"resource":"Issue","code":"missing_field","field":"title"}],
                        "documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue"})"));

  REQUIRE(call(github, "POST", "/repos/o/r/labels", R"({"name":"bug","color":"d73a4a"})").status == 201);
  auto exists = call(github, "POST", "/repos/o/r/labels", R"({"name":"BUG","color":"d73a4a"})");
  CHECK(exists.status == 422);
  CHECK(body_of(exists)["errors"][0] == json::parse(R"({"resource":"Label","code":"already_exists","field":"name"})"));
  auto bad_color = call(github, "POST", "/repos/o/r/labels", R"({"name":"foo","color":"invalid"})");
  CHECK(body_of(bad_color)["errors"][0] == json::parse(R"({"resource":"Label","code":"invalid","field":"color"})"));

  github.set_issues_enabled("o/r", false);
  auto gone = call(github, "GET", "/repos/o/r/issues");
  CHECK(gone.status == 410);
  CHECK(body_of(gone)["message"] == "Issues has been disabled in this repository.");
  CHECK(call(github, "GET", "/repos/o/r/labels").status == 200);
}

TEST_CASE("fake_github: a deleted issue leaves the lists, reads as 410 and cannot be written") {
  FakeGitHub github;
  github.add_repo("o/r");
  github.add_issue("o/r", {.title = "kept", .labels = {"probewatch"}});
  const int deleted = github.add_issue("o/r", {.title = "deleted", .labels = {"probewatch"}});
  github.add_comment("o/r", deleted, "a note");
  github.delete_issue("o/r", deleted);

  auto listed = body_of(call(github, "GET", "/repos/o/r/issues?labels=probewatch&state=all"));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["title"] == "kept");
  auto read = call(github, "GET", "/repos/o/r/issues/2");
  CHECK(read.status == 410);
  CHECK(body_of(read) == json::parse(R"({"message":"This issue was deleted",
                        "documentation_url":"https://docs.github.com/rest/issues/issues#get-an-issue"})"));
  CHECK(call(github, "PATCH", "/repos/o/r/issues/2", R"({"state":"closed"})").status == 404);
  CHECK(call(github, "GET", "/repos/o/r/issues/2/comments").status == 404);
  CHECK(call(github, "POST", "/repos/o/r/issues/2/comments", R"({"body":"b"})").status == 404);
  CHECK(call(github, "POST", "/repos/o/r/issues/2/labels", R"({"labels":["x"]})").status == 404);
  // Numbers are never reused, and the test can still see what became of it.
  CHECK(body_of(call(github, "POST", "/repos/o/r/issues", R"({"title":"new"})"))["number"] == 3);
  REQUIRE(github.issue("o/r", deleted).has_value());
  CHECK(github.issue("o/r", deleted)->deleted);
  CHECK(github.issue("o/r", deleted)->state == "open");
}

TEST_CASE("fake_github: creating an issue creates its labels; closing sets state_reason and closed_at") {
  FakeGitHub github;
  github.add_repo("o/r");
  github.add_label("o/r", "Bug", "d73a4a");
  auto created = call(github, "POST", "/repos/o/r/issues", R"({"title":"t","labels":["bug","probewatch"]})");
  CHECK(created.status == 201);
  CHECK(header(created, "location") == "https://api.github.com/repos/o/r/issues/1");
  auto labels = github.labels("o/r");
  REQUIRE(labels.size() == 2);
  CHECK(labels[1].name == "probewatch");
  CHECK(labels[1].color == "ededed");
  CHECK(github.issue("o/r", 1)->labels == std::vector<std::string>{"Bug", "probewatch"});
  CHECK(body_of(created)["state_reason"].is_null());
  CHECK(body_of(created)["body"].is_null());

  github.manual_clock()->advance(1h);
  auto closed = body_of(call(github, "PATCH", "/repos/o/r/issues/1", R"({"state":"closed"})"));
  CHECK(closed["state"] == "closed");
  CHECK(closed["state_reason"] == "completed");
  CHECK(closed["closed_at"] == "2026-11-27T01:00:00Z");
  auto reopened = body_of(call(github, "PATCH", "/repos/o/r/issues/1", R"({"state":"open"})"));
  CHECK(reopened["state_reason"] == "reopened");
  CHECK(reopened["closed_at"].is_null());
  auto invalid = call(github, "PATCH", "/repos/o/r/issues/1", R"({"state":"shut"})");
  CHECK(invalid.status == 422);
}

TEST_CASE("fake_github: rate-limit headers count down, refuse at zero and refill at the reset") {
  FakeGitHub github;
  github.add_repo("o/r");
  auto first = call(github, "GET", "/repos/o/r/labels");
  CHECK(header(first, "x-ratelimit-limit") == "5000");
  CHECK(header(first, "x-ratelimit-remaining") == "4999");
  CHECK(header(first, "x-ratelimit-used") == "1");
  CHECK(header(first, "x-ratelimit-resource") == "core");
  github.set_rate_limit(1, github.now() + 10min);
  CHECK(call(github, "GET", "/repos/o/r/labels").status == 200);
  auto refused = call(github, "GET", "/repos/o/r/labels");
  CHECK(refused.status == 403);
  CHECK(header(refused, "x-ratelimit-remaining") == "0");
  CHECK(body_of(refused)["message"] == "API rate limit exceeded for installation ID 1.");
  github.manual_clock()->advance(10min);
  auto refilled = call(github, "GET", "/repos/o/r/labels");
  CHECK(refilled.status == 200);
  CHECK(header(refilled, "x-ratelimit-remaining") == "4999");
}

TEST_CASE("fake_github: fault rules fire on the nth match, for a number of times") {
  FakeGitHub github;
  github.add_repo("o/r");
  github.inject({.fault = FaultKind::http_502, .method = "GET", .path = "/labels", .nth = 2, .times = 2});
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) {
    statuses.push_back(call(github, "GET", "/repos/o/r/labels").status);
  }
  CHECK(statuses == std::vector<int>{200, 502, 502, 200, 200});
  CHECK(github.faults()[0].matched == 5);
  CHECK(github.faults()[0].fired == 2);
  CHECK(github.count_requests("GET", "list_labels") == 5);
  CHECK(github.requests()[1].fault == "502");

  SUBCASE("secondary limits with and without retry-after") {
    github.inject({.fault = FaultKind::secondary_limit, .operation = "list_issues", .retry_after = 30});
    github.inject({.fault = FaultKind::secondary_limit, .operation = "list_issues", .nth = 2});
    auto with = call(github, "GET", "/repos/o/r/issues");
    auto without = call(github, "GET", "/repos/o/r/issues");
    CHECK(with.status == 403);
    CHECK(header(with, "retry-after") == "30");
    CHECK(without.status == 403);
    CHECK(header(without, "retry-after") == "<absent>");
    CHECK(header(without, "x-ratelimit-remaining") != "0");
  }
  SUBCASE("apply, then drop the connection") {
    github.inject({.fault = FaultKind::reset, .operation = "create_issue", .after_apply = true});
    pw::test::FakeTransport transport(github);
    auto sent = transport.send(
        {"POST", "https://api.github.com/repos/o/r/issues", {{"Authorization", "Bearer x"}}, R"({"title":"t"})"});
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == github::TransportErrorKind::reset);
    CHECK(sent.error().request_sent);
    CHECK(github.issues("o/r").size() == 1);
  }
  SUBCASE("refused connections never reach the fake's state") {
    github.inject({.fault = FaultKind::refuse, .operation = "create_issue", .after_apply = true});
    pw::test::FakeTransport transport(github);
    auto sent = transport.send(
        {"POST", "https://api.github.com/repos/o/r/issues", {{"Authorization", "Bearer x"}}, R"({"title":"t"})"});
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == github::TransportErrorKind::connect);
    CHECK_FALSE(sent.error().request_sent);
    CHECK(github.issues("o/r").empty());
  }
}

TEST_CASE("fake_github: the JSON control API seeds, scripts faults and dumps state") {
  FakeGitHub github;
  auto control = [&](std::string method, std::string path, std::string body = "") {
    return pw::test::handle_control(github, method, path, body);
  };
  CHECK(control("POST", "/_fake/repos", R"({"repo":"o/r"})").status == 201);
  auto seeded = control("POST", "/_fake/issues",
                        R"({"repo":"o/r","title":"down","labels":["probewatch"],"author":"alice",
                            "created_at":"2026-11-26T00:00:00Z","state":"closed","state_reason":"not_planned"})");
  CHECK(body_of(seeded)["number"] == 1);
  CHECK(control("POST", "/_fake/comments", R"({"repo":"o/r","number":1,"body":"hi"})").status == 201);
  CHECK(
      control("POST", "/_fake/faults", R"({"fault":"timeout","operation":"create_issue","after_apply":true})").status ==
      201);
  CHECK(control("POST", "/_fake/time", R"({"advance_seconds":60})").status == 200);
  auto state = body_of(control("GET", "/_fake/state"));
  CHECK(state["now"] == "2026-11-27T00:01:00Z");
  CHECK(state["repos"][0]["issues"][0]["state_reason"] == "not_planned");
  CHECK(state["repos"][0]["issues"][0]["user"]["login"] == "alice");
  CHECK(state["repos"][0]["issues"][0]["comment_list"][0]["body"] == "hi");
  CHECK(state["faults"][0]["fault"] == "timeout");
  CHECK(state["faults"][0]["after_apply"] == true);

  auto bad_fault = control("POST", "/_fake/faults", R"({"fault":"explode"})");
  CHECK(bad_fault.status == 400);
  CHECK(body_of(bad_fault)["error"] ==
        "unknown fault \"explode\"; use one of 500, 502, 503, 401, 403, secondary_limit, primary_limit, 429, 410, 422, "
        "reset, timeout, refuse");
  CHECK(control("POST", "/_fake/issues", R"({"repo":"nope/nope","title":"x"})").status == 400);
  CHECK(control("POST", "/_fake/issues", "[").status == 400);
  CHECK(control("DELETE", "/_fake/faults").status == 200);
  CHECK(github.faults().empty());
  CHECK(control("POST", "/_fake/reset").status == 200);
  CHECK(body_of(control("GET", "/_fake/state"))["repos"].empty());
}
