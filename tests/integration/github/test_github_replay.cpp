// The client against responses recorded from api.github.com (@octokit/fixtures), replayed over
// real loopback sockets through the HttplibTransport.
#include <github_client/client.hpp>
#include <github_client/httplib_transport.hpp>
#include <support/fake_github/manual_clock.hpp>
#include <support/replay/replay_server.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {

// One replay server per test, stopped even when an assertion fails.
struct Replay {
  explicit Replay(const std::string& scenario) {
    auto exchanges = pw::test::load_scenario(pw::test::scenario_file(PROBEWATCH_SOURCE_DIR, scenario));
    REQUIRE_MESSAGE(exchanges, (exchanges ? "" : exchanges.error()));
    server.start();
    root = server.add_scenario(std::move(*exchanges));
    github::ClientOptions options;
    options.api_url = root;
    options.token = "0000000000000000000000000000000000000001";
    options.write_spacing = 0ms;
    options.jitter_seed = 1;
    client.emplace(options, transport, clock);
  }

  pw::test::ReplayServer server;
  std::string root;
  github::HttplibTransport transport{{.connect_timeout = 2000ms, .read_timeout = 5000ms}};
  pw::test::ManualClock clock;
  std::optional<github::Client> client;
};

}  // namespace

TEST_CASE("github_replay: paginate-issues reads all 13 issues, in order, through the recorded Link headers") {
  Replay replay("paginate-issues");
  auto issues = replay.client->list_issues("octokit-fixture-org/paginate-issues");
  CHECK(replay.server.mismatches().empty());
  REQUIRE(issues);
  std::vector<int> numbers;
  for (const auto& issue : *issues) {
    numbers.push_back(issue.number);
  }
  CHECK(numbers == std::vector<int>{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(issues->front().title == "Test issue 13");
  CHECK(issues->front().state == "open");
  CHECK(issues->front().user == "octokit-fixture-user-a");
  CHECK(issues->front().html_url == "https://github.com/octokit-fixture-org/paginate-issues/issues/13");
  CHECK(replay.server.pending(replay.root).empty());
  CHECK(replay.client->requests() == 5);
  CHECK(replay.client->rate_limit_remaining() == 4999);
  CHECK(replay.clock.sleeps().empty());
}

TEST_CASE("github_replay: add-labels-to-issue reads the created issue and its labels") {
  Replay replay("add-labels-to-issue");
  auto created =
      replay.client->create_issue("octokit-fixture-org/add-labels-to-issue", {.title = "Issue without a label"});
  REQUIRE(created);
  CHECK(created->number == 1);
  CHECK(created->title == "Issue without a label");
  CHECK(created->labels.empty());
  CHECK(created->body.empty());
  CHECK(created->state_reason.empty());
  CHECK(created->created_at == "2017-10-10T16:00:00Z");

  auto labels = replay.client->add_labels("octokit-fixture-org/add-labels-to-issue", 1, {"Foo", "bAr", "baZ"});
  CHECK(replay.server.mismatches().empty());
  REQUIRE(labels);
  std::vector<std::string> names;
  for (const auto& label : *labels) {
    names.push_back(label.name);
    CHECK(label.color == "ededed");
  }
  CHECK(names == std::vector<std::string>{"Foo", "bAr", "baZ"});
  CHECK(replay.server.pending(replay.root).empty());
}

TEST_CASE("github_replay: labels lists the repository's labels and creates one") {
  Replay replay("labels");
  auto labels = replay.client->list_labels("octokit-fixture-org/labels");
  REQUIRE(labels);
  REQUIRE(labels->size() == 9);
  CHECK(labels->front() == github::Label{"bug", "d73a4a", "Something isn't working"});
  CHECK(labels->back() == github::Label{"wontfix", "ffffff", "This will not be worked on"});

  auto created = replay.client->create_label("octokit-fixture-org/labels", {"test-label", "663399", ""});
  CHECK(replay.server.mismatches().empty());
  REQUIRE(created);
  CHECK(*created == github::Label{"test-label", "663399", ""});
  // Reading, renaming and deleting one label are not operations the bot needs.
  CHECK(replay.server.pending(replay.root) ==
        std::vector<std::string>{"GET /repos/octokit-fixture-org/labels/labels/test-label",
                                 "PATCH /repos/octokit-fixture-org/labels/labels/test-label",
                                 "DELETE /repos/octokit-fixture-org/labels/labels/test-label-updated"});
}

TEST_CASE("github_replay: errors reads the 422 errors array") {
  Replay replay("errors");
  auto created = replay.client->create_label("octokit-fixture-org/errors", {"foo", "invalid", ""});
  CHECK(replay.server.mismatches().empty());
  REQUIRE_FALSE(created);
  CHECK(created.error().kind == github::ErrorKind::validation);
  CHECK(created.error().status == 422);
  REQUIRE(created.error().errors.size() == 1);
  CHECK(created.error().errors[0] == github::ValidationError{"Label", "invalid", "color", "", ""});
  CHECK(created.error().message ==
        "GitHub rejected POST /repos/octokit-fixture-org/errors/labels (422 Validation Failed): Label.color invalid");
  CHECK(replay.client->requests() == 1);
  CHECK(replay.server.pending(replay.root).empty());
}

TEST_CASE("github_replay: a request the recording does not hold is reported, not answered") {
  Replay replay("errors");
  auto issues = replay.client->list_issues("octokit-fixture-org/errors");
  REQUIRE_FALSE(issues);
  CHECK(issues.error().status == 501);
  REQUIRE(replay.server.mismatches().size() == 1);
  CHECK(replay.server.mismatches()[0].starts_with("GET /api.github.com/1/repos/octokit-fixture-org/errors/issues"));
}
