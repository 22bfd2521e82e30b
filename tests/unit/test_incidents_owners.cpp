// Owners, issue types and per-check labels: who is told when an incident opens, against the fake
// GitHub's model of what the real one accepts, refuses (422) and silently drops.
#include <bot/config/load.hpp>
#include <bot/core/timestamp.hpp>

#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

constexpr const char* k_url = "http://pay.test/health";

struct Owners : AppHarness {
  Result step() {
    clock.advance(5min);
    github.clear_requests();
    Result result = run({"run", "--config", path("probewatch.yml").string()});
    INFO(result.out << result.err);
    return result;
  }
  // The one open incident.
  pw::test::FakeIssue incident() const {
    for (const auto& issue : github.issues(k_repo)) {
      if (issue.state == "open" && issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
        return issue;
      }
    }
    FAIL("no open incident");
    return {};
  }
};

std::string config_with(const std::string& check_keys) {
  return std::string("defaults: { retries: 0 }\nchecks:\n  - id: payments\n    url: ") + k_url + "\n" + check_keys;
}

std::string load_error(const std::string& text) {
  auto config = pw::load_config(text, "probewatch.yml", {});
  REQUIRE_FALSE(config.has_value());
  return config.error().message;
}

}  // namespace

TEST_CASE("owners: users are assigned, teams mentioned once in the opening post, with the type and labels") {
  Owners s;
  s.write_config(
      config_with("    owners: [alice, \"@acme/payments\", \"@bob\"]\n    type: Bug\n    labels: [severity:high]\n"));
  s.github.set_issue_types(AppHarness::k_repo, {"Bug", "Task"});
  s.prober.set_status(k_url, 503);
  const auto opened = s.step();
  CHECK(opened.exit_code == 1);
  // GITHUB_TOKEN writes as github-actions[bot], whose team mentions GitHub does not resolve.
  CHECK(opened.err ==
        "probewatch: warning: #1 mentions the team owners of payments, but GitHub does not resolve team mentions "
        "written by github-actions[bot] (GITHUB_TOKEN), so the team was not notified: run probewatch with a GitHub "
        "App token that may read the organization's members (or a token with read:org), or list the people in "
        "owners:\n");
  const auto issue = s.incident();
  CHECK(issue.assignees == std::vector<std::string>{"alice", "bob"});
  CHECK(issue.type == "Bug");
  CHECK(std::find(issue.labels.begin(), issue.labels.end(), "severity:high") != issue.labels.end());
  REQUIRE(issue.body);
  CHECK(issue.body->find("**Owners:** @alice, @acme/payments, @bob\n") != std::string::npos);
  CHECK(s.github.count_requests("POST", "create_issue") == 2);  // the incident and the dashboard

  // Later runs comment (reminders, changes) without mentioning anyone again.
  s.prober.set_status(k_url, 502);
  s.clock.advance(2h);
  s.step();
  for (const auto& comment : s.github.comments(AppHarness::k_repo, issue.number)) {
    CHECK(comment.body.find("@alice") == std::string::npos);
    CHECK(comment.body.find("@acme") == std::string::npos);
  }
  CHECK(s.incident().body->find("**Owners:** @alice, @acme/payments, @bob\n") != std::string::npos);
}

TEST_CASE("owners: a GitHub App writing the issue mentions teams without a warning") {
  Owners s;
  s.github.add_token("app-token", "probewatch-app[bot]");
  s.env["GITHUB_TOKEN"] = "app-token";
  s.write_config(config_with("    owners: [\"acme/payments\"]\n"));
  s.prober.set_status(k_url, 503);
  const auto opened = s.step();
  CHECK(opened.exit_code == 1);
  CHECK(opened.err.find("warning") == std::string::npos);
  CHECK(s.incident().body->find("**Owners:** @acme/payments\n") != std::string::npos);
}

TEST_CASE("owners: defaults give every check owners; a check's own owners replace them") {
  auto config = pw::load_config(
      "defaults: { owners: [\"acme/platform\"] }\nchecks:\n  - id: a\n    url: http://a.test/\n  - id: b\n    url: "
      "http://b.test/\n    owners: [carol]\n",
      "probewatch.yml", {});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  REQUIRE(config->checks.size() == 2);
  CHECK(config->checks[0].owners == std::vector<pw::Owner>{{"acme/platform", true}});
  CHECK(config->checks[1].owners == std::vector<pw::Owner>{{"carol", false}});
}

TEST_CASE("owners: an entry that is neither a login nor a team is a config error at its line") {
  CHECK(load_error(config_with("    owners: [alice, \"not a user\"]\n")) ==
        "probewatch.yml:5:21: \"owners\" entry \"not a user\" is neither a GitHub login (alice) nor a team "
        "(org/team-slug); write a user as their login and a team as its organization and slug");
  CHECK(load_error(config_with("    owners: [\"acme/\"]\n")).find("\"owners\" entry \"acme/\" is neither") !=
        std::string::npos);
  CHECK(load_error(config_with("    owners: [\"-alice\"]\n")).find("\"owners\" entry \"-alice\" is neither") !=
        std::string::npos);
  CHECK(load_error(config_with("    type: \"\"\n")) ==
        "probewatch.yml:5:11: \"type\" must be the name of one of the organization's issue types, as in Bug, not "
        "\"\"");
}

TEST_CASE("owners: GitHub refusing an assignee or the type still opens the incident, once, with a warning") {
  SUBCASE("an assignee who may not be assigned") {
    Owners s;
    s.write_config(config_with("    owners: [mallory]\n"));
    s.github.set_assignable(AppHarness::k_repo, {"alice"});
    s.prober.set_status(k_url, 503);
    const auto opened = s.step();
    CHECK(opened.exit_code == 1);
    CHECK(opened.err.find("probewatch: warning: GitHub refused to assign mallory to the incident for payments in "
                          "octo/app on GitHub (Issue.assignees invalid): opened it without assignees. Give them "
                          "access to the repository, or fix owners:/assignees: of the check\n") != std::string::npos);
    CHECK(s.incident().assignees.empty());
    CHECK(s.github.count_requests("POST", "create_issue") == 3);  // refused, the incident, the dashboard
    s.step();
    CHECK(s.github.count_requests("POST", "create_issue") == 0);  // one incident, never re-filed
  }
  SUBCASE("an issue type the organization does not have") {
    Owners s;
    s.write_config(config_with("    type: Incident\n"));
    s.github.set_issue_types(AppHarness::k_repo, {"Bug"});
    s.prober.set_status(k_url, 503);
    const auto opened = s.step();
    CHECK(opened.exit_code == 1);
    CHECK(opened.err.find("probewatch: warning: GitHub refused the issue type \"Incident\" for the incident for "
                          "payments in octo/app on GitHub (Issue.type invalid): opened it without a type. Use one of "
                          "the organization's issue types in type: of the check, or remove it\n") != std::string::npos);
    CHECK(s.incident().type.empty());
  }
}

TEST_CASE("owners: a token without push access gets assignees and the type dropped, and the run says so") {
  Owners s;
  s.write_config(config_with("    owners: [alice]\n    type: Bug\n"));
  s.github.set_issue_types(AppHarness::k_repo, {"Bug"});
  s.github.set_labels_allowed(AppHarness::k_repo, false);
  s.prober.set_status(k_url, 503);
  const auto opened = s.step();
  CHECK(opened.err.find("probewatch: warning: GitHub did not assign alice to #1 in octo/app on GitHub: the token may "
                        "not set assignees (it needs push access), so they were not notified. Give the workflow "
                        "`permissions: issues: write`, or assign them by hand\n") != std::string::npos);
  CHECK(opened.err.find("probewatch: warning: GitHub did not set the issue type \"Bug\" on #1 in octo/app on GitHub "
                        "(check payments): the token may not set types (it needs push access)\n") != std::string::npos);
}

TEST_CASE("owners: the local tracker keeps the assignees and the type") {
  Owners s;
  s.write_config(config_with("    owners: [alice, acme/payments]\n    type: Bug\n"));
  s.prober.set_status(k_url, 503);
  const auto opened =
      s.run({"run", "--config", s.path("probewatch.yml").string(), "--tracker", "local:" + s.path("i.json").string()});
  CHECK(opened.exit_code == 1);
  const auto shown = s.run({"show", "1", "--tracker", "local:" + s.path("i.json").string(), "--json"});
  CHECK(shown.out.find("\"type\": \"Bug\"") != std::string::npos);
  CHECK(shown.out.find("\"alice\"") != std::string::npos);
}

TEST_CASE("confirmation: the issue says how many attempts failed and when") {
  Owners s;
  s.write_config(std::string("defaults: { retries: 2, retry_delay: 5s }\nchecks:\n  - id: payments\n    url: ") +
                 k_url + "\n");
  s.prober.set_status(k_url, 503);
  const pw::TimePoint start = s.clock.now() + 5min;  // step() moves the clock on first
  s.step();
  const std::string first = pw::format_timestamp(start).substr(11, 8);
  const std::string second = pw::format_timestamp(start + 5s).substr(11, 8);
  const std::string third = pw::format_timestamp(start + 15s).substr(11, 8);  // the delay doubles
  CHECK(s.incident().body->find(fmt::format("| Attempts | 3 (3 failed, at {}, {} and {} UTC) |", first, second,
                                            third)) != std::string::npos);

  SUBCASE("attempts that saw different things say what each saw") {
    Owners t;
    t.write_config(std::string("defaults: { retries: 1, retry_delay: 1s }\nchecks:\n  - id: payments\n    url: ") +
                   k_url + "\n");
    pw::Evidence timeout;
    timeout.url = k_url;
    timeout.failure = pw::TransportFailure::timeout;
    timeout.error = "no response within 10s";
    t.prober.set_sequence(k_url, {timeout, pw::test::ScriptedProber::json(k_url, "{}", 502)});
    const pw::TimePoint at = t.clock.now() + 5min;
    t.step();
    CHECK(t.incident().body->find(fmt::format("| Attempts | 2 (2 failed, at {} `no response within 10s` and {} "
                                              "`status 502 not in [200-399]` UTC) |",
                                              pw::format_timestamp(at).substr(11, 8),
                                              pw::format_timestamp(at + 1s).substr(11, 8))) != std::string::npos);
  }
}

TEST_CASE("late runs: a run late by issues.late_after opens one incident, closed when runs are on time again") {
  Owners s;
  s.write_config(std::string("schedule: 5m\nissues: { late_after: 1h }\ndefaults: { retries: 0 }\nchecks:\n  - id: "
                             "payments\n    url: ") +
                 k_url + "\n");
  s.prober.set_status(k_url, 200);
  CHECK(s.step().exit_code == 0);
  CHECK(s.step().exit_code == 0);
  s.step();
  CHECK(s.github.count_requests("POST") == 0);  // on time: nothing opened, only the run time recorded
  CHECK(s.github.count_requests("PATCH") == 1);

  s.clock.advance(2h);  // the scheduler dropped runs for two hours
  const auto late = s.step();
  CHECK(late.exit_code == 0);  // the services are fine; the exit code is about them
  const auto issue = s.incident();
  CHECK(issue.title == "Scheduled probewatch runs is failing");
  REQUIRE(issue.body);
  CHECK(issue.body->find("runs are late: this run started 2h 5m after the previous one, though runs are expected "
                         "every 5m (schedule); nothing was probed in between") != std::string::npos);
  CHECK(late.out.find("opened #") != std::string::npos);

  s.step();  // on time again: it passes once and closes (success_threshold 1)
  const auto issues = s.github.issues(AppHarness::k_repo);
  const auto closed =
      std::find_if(issues.begin(), issues.end(), [&](const auto& i) { return i.number == issue.number; });
  REQUIRE(closed != issues.end());
  CHECK(closed->state == "closed");
  CHECK(closed->state_reason == "completed");
  const auto comments = s.github.comments(AppHarness::k_repo, issue.number);
  REQUIRE_FALSE(comments.empty());
  CHECK(comments.back().body.starts_with("**Recovered after 5m.** Scheduled probewatch runs passes again."));
}

TEST_CASE("late runs: late_after needs a schedule, and its check id is reserved") {
  CHECK(load_error("issues: { late_after: 1h }\nchecks:\n  - id: a\n    url: http://a.test/\n") ==
        "probewatch.yml:1:23: \"issues.late_after\" needs \"schedule:\" at the top level (how often runs are expected, "
        "e.g. 5m), to tell when a run is late");
  CHECK(load_error("checks:\n  - id: probewatch-runs\n    url: http://a.test/\n") ==
        "probewatch.yml:2:5: check id \"probewatch-runs\" is reserved for the \"runs are late\" incident "
        "(issues.late_after); give this check another id");
}
