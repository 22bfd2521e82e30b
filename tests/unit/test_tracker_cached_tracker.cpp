// CachedTracker over the real GitHub adapter and client, against the fake GitHub in memory.
#include <bot/tracker/cached_tracker.hpp>
#include <bot/tracker/github_tracker.hpp>

#include <support/fake_github/harness.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace std::chrono_literals;

namespace {

struct Cached {
  Cached() {
    harness.github.add_repo(pw::test::FakeGitHubHarness::k_repo);
    auto inner = std::make_unique<pw::GitHubTracker>(harness.client, std::string(pw::test::FakeGitHubHarness::k_repo));
    tracker = std::make_unique<pw::CachedTracker>(std::move(inner), harness.clock, 5min);
  }
  std::size_t lists() const { return harness.github.count_requests("GET", "list_issues"); }
  pw::test::FakeGitHubHarness harness;
  std::unique_ptr<pw::CachedTracker> tracker;
};

// The issue numbers, in ascending order.
std::vector<int> numbers(const std::vector<github::Issue>& issues) {
  std::vector<int> out;
  for (const github::Issue& issue : issues) {
    out.push_back(issue.number);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("cached tracker: remembers the open list, keeps it current from its writes, lists again when due") {
  Cached c;
  const int theirs = c.harness.github.add_issue(pw::test::FakeGitHubHarness::k_repo, {"Down", "body", {"probewatch"}});
  REQUIRE(c.tracker->list_open("probewatch").has_value());
  REQUIRE(c.tracker->list_open("probewatch").has_value());
  CHECK(c.lists() == 1);

  SUBCASE("an update is reflected; a close drops the issue; nothing is asked again") {
    github::IssueUpdate change;
    change.body = "new body";
    REQUIRE(c.tracker->update(theirs, change).has_value());
    auto listed = c.tracker->list_open("probewatch");
    REQUIRE(listed.has_value());
    REQUIRE(listed->size() == 1);
    CHECK((*listed)[0].body == "new body");
    change = {};
    change.state = "closed";
    REQUIRE(c.tracker->update(theirs, change).has_value());
    CHECK(c.tracker->list_open("probewatch")->empty());
    CHECK(c.lists() == 1);
  }
  SUBCASE("a create makes the next list a real one, which sees other writers") {
    github::NewIssue issue;
    issue.title = "mine";
    issue.labels = {"probewatch"};
    const auto created = c.tracker->create(issue);
    REQUIRE(created.has_value());
    const int other = c.harness.github.add_issue(pw::test::FakeGitHubHarness::k_repo, {"Other", "b", {"probewatch"}});
    CHECK(numbers(*c.tracker->list_open("probewatch")) == std::vector<int>{theirs, created->number, other});
    CHECK(c.lists() == 2);
  }
  SUBCASE("people's changes are seen once the re-list period has passed") {
    const int other = c.harness.github.add_issue(pw::test::FakeGitHubHarness::k_repo, {"Other", "b", {"probewatch"}});
    c.harness.clock.advance(4min);
    CHECK(numbers(*c.tracker->list_open("probewatch")) == std::vector<int>{theirs});
    c.harness.clock.advance(1min);
    CHECK(numbers(*c.tracker->list_open("probewatch")) == std::vector<int>{theirs, other});
    CHECK(c.lists() == 2);
  }
  SUBCASE("a failed request forgets the list") {
    c.harness.github.inject({pw::test::FaultKind::validation, "POST", "", "", "create_comment"});
    CHECK_FALSE(c.tracker->comment(theirs, "hello").has_value());
    REQUIRE(c.tracker->list_open("probewatch").has_value());
    CHECK(c.lists() == 2);
  }
  SUBCASE("another label is listed for real") {
    REQUIRE(c.tracker->list_open("other").has_value());
    CHECK(c.lists() == 2);
  }
}
