#include <bot/config/load.hpp>
#include <bot/tracker/local_tracker.hpp>
#include <bot/incidents/sync.hpp>
#include <bot/incidents/sync_state.hpp>

#include <github_client/iso8601.hpp>

#include <support/fake_clock.hpp>

#include <doctest/doctest.h>

#include <filesystem>

using namespace std::chrono_literals;

namespace {

// Runs sync_incidents over a local tracker in a temp folder, with results set by the test.
struct Harness {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("pw-sync-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
  pw::test::FakeClock clock;
  pw::Config config;
  pw::TemplateSet templates = pw::TemplateSet::defaults();
  pw::LocalTracker tracker{(dir / "issues.json").string(), clock};
  std::map<std::string, pw::CheckResult> results;
  bool keep_orphans = false;

  static int& counter() {
    static int value = 0;
    return value;
  }

  explicit Harness(const std::string& yaml) {
    auto loaded = pw::load_config(yaml, "t.yml", {{"TOKEN", "hunter2-canary"}});
    REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
    config = std::move(*loaded);
    for (const auto& check : config.checks) {
      set(check.id, true);
    }
  }
  ~Harness() { std::filesystem::remove_all(dir); }

  void set(const std::string& id, bool ok, int status = 404) {
    pw::CheckResult result;
    result.id = id;
    result.ok = ok;
    result.attempts = 1;
    result.evidence.status = ok ? 200 : status;
    result.evidence.body = ok ? "fine" : "<h1>Not Found</h1> hunter2-canary";
    if (!ok) {
      result.failed.push_back(
          {"status:" + std::to_string(status), "status " + std::to_string(status) + " not in [200]"});
    }
    results[id] = result;
  }
  void set_timeout(const std::string& id) {
    pw::CheckResult result;
    result.id = id;
    result.attempts = 3;
    result.evidence.failure = pw::TransportFailure::timeout;
    result.evidence.error = "timed out after 10s while waiting for response headers";
    results[id] = result;
  }

  pw::SyncResult run(pw::Millis later = 5min) {
    clock.advance(later);
    pw::SyncRequest request;
    for (const auto& check : config.checks) {
      request.checks.push_back(&check);
    }
    request.results = &results;
    request.issues = &config.issues;
    request.policy = pw::reconcile_policy(config.issues);
    request.policy.keep_orphans = keep_orphans;
    request.maintenance = &config.maintenance;
    request.time_zones = &config.time_zones;
    pw::RunInfo info;
    info.now = clock.now();
    pw::IssueWriter writer(templates, config.secrets, info);
    return pw::sync_incidents(tracker, writer, request, clock);
  }

  std::vector<github::Issue> open_incidents() {
    std::vector<github::Issue> out;
    const auto listed = tracker.list_open("probewatch").value();
    for (const auto& issue : listed) {
      if (issue.body.find("\"kind\":\"incident\"") != std::string::npos) {
        out.push_back(issue);
      }
    }
    return out;
  }
  std::size_t comments(int number) { return tracker.comments(number).value().size(); }
};

const char* k_two_checks =
    "checks:\n  - name: API\n    url: http://a/\n    headers: { Authorization: \"Bearer ${TOKEN}\" }\n"
    "  - name: Web\n    url: http://b/\n";

}  // namespace

TEST_CASE("sync: the first run makes the dashboard, a quiet run then reads once and writes nothing") {
  Harness h(k_two_checks);
  auto first = h.run();
  CHECK(first.errors.empty());
  CHECK(h.tracker.requests() == 2);  // list + create dashboard
  const std::size_t before = h.tracker.requests();
  auto quiet = h.run();
  CHECK(quiet.actions.empty());
  CHECK(h.tracker.requests() - before == 1);
}

TEST_CASE("sync: open, keep current, remind, recover") {
  Harness h(k_two_checks);
  h.run();
  h.set("api", false);
  auto opened = h.run();
  REQUIRE(opened.actions.size() == 1);
  CHECK(opened.actions[0].kind == pw::ActionKind::create);
  auto open = h.open_incidents();
  REQUIRE(open.size() == 1);
  const int number = open[0].number;
  CHECK(open[0].title == "API is failing");
  CHECK(open[0].labels == std::vector<std::string>{"probewatch"});
  CHECK(open[0].body.find("hunter2-canary") == std::string::npos);
  CHECK(open[0].body.find("***") != std::string::npos);

  // People edit outside the section; the bot keeps it.
  github::IssueUpdate edit;
  edit.body = "Runbook: restart the pod.\n\n" + open[0].body;
  h.tracker.update(number, edit);

  // Still failing the same way: nothing is written until the refresh interval (6h) passed.
  const std::string before = h.tracker.get(number)->body;
  CHECK(h.run().actions.empty());
  CHECK(h.tracker.get(number)->body == before);
  auto again = h.run(6h);
  REQUIRE(again.actions.size() == 1);
  CHECK(again.actions[0].kind == pw::ActionKind::update);
  CHECK(h.comments(number) == 0);
  CHECK(h.tracker.get(number)->body.starts_with("Runbook: restart the pod."));
  CHECK(h.tracker.get(number)->body.find("| Failing for | 6h 5m |") != std::string::npos);

  h.set_timeout("api");
  auto changed = h.run();
  CHECK(h.comments(number) == 1);
  CHECK(h.tracker.comments(number)->back().body.starts_with("**The failure changed.** Was `status 404 not in [200]`"));

  h.run(24h);
  CHECK(h.comments(number) == 2);
  CHECK(h.tracker.comments(number)->back().body.starts_with("**Still failing** after 1d"));

  h.set("api", true);
  auto closed = h.run();
  CHECK(h.tracker.get(number)->state == "closed");
  CHECK(h.tracker.get(number)->state_reason == "completed");
  CHECK(h.tracker.comments(number)->back().body.starts_with("**Recovered after 1d"));
  CHECK(h.open_incidents().empty());
}

TEST_CASE("sync: flapping reopens the same issue") {
  Harness h(k_two_checks);
  h.set("api", false);
  h.run();
  const int number = h.open_incidents().at(0).number;
  h.set("api", true);
  h.run();
  h.set("api", false);
  auto reopened = h.run(1h);
  REQUIRE(reopened.actions.size() == 1);
  CHECK(reopened.actions[0].kind == pw::ActionKind::reopen);
  CHECK(h.open_incidents().size() == 1);
  CHECK(h.open_incidents().at(0).number == number);
  CHECK(h.tracker.get(number)->state_reason == "reopened");

  SUBCASE("after the window a new issue opens") {
    h.set("api", true);
    h.run();
    h.set("api", false);
    h.run(7h);
    REQUIRE(h.open_incidents().size() == 1);
    CHECK(h.open_incidents().at(0).number != number);
  }
}

TEST_CASE("sync: a person's not-planned close mutes until the check passes") {
  Harness h(k_two_checks);
  h.set("api", false);
  h.run();
  const int number = h.open_incidents().at(0).number;
  github::IssueUpdate close;
  close.state = "closed";
  close.state_reason = "not_planned";
  h.tracker.update(number, close);

  h.run();  // learns of the mute (one lookup)
  CHECK(h.open_incidents().empty());
  const std::size_t before = h.tracker.requests();
  auto muted = h.run();
  CHECK(muted.actions.empty());
  CHECK(h.tracker.requests() - before == 1);  // the mute costs nothing once recorded
  CHECK(h.tracker.get(number)->state == "closed");

  h.set("api", true);
  h.run();
  h.set("api", false);
  h.run();
  REQUIRE(h.open_incidents().size() == 1);
  CHECK(h.open_incidents().at(0).number != number);
}

TEST_CASE("sync: issues without a marker are never touched") {
  Harness h(k_two_checks);
  github::NewIssue person;
  person.title = "API is failing";
  person.body = "I think the API is down";
  person.labels = {"probewatch"};
  const int theirs = h.tracker.create(person)->number;
  h.set("api", false);
  h.run();
  h.set("api", true);
  h.run();
  CHECK(h.tracker.get(theirs)->state == "open");
  CHECK(h.tracker.get(theirs)->body == "I think the API is down");
  CHECK(h.comments(theirs) == 0);
}

TEST_CASE("sync: duplicate incidents are closed in favour of the lowest number") {
  Harness h(k_two_checks);
  h.set("api", false);
  h.run();
  const github::Issue first = h.open_incidents().at(0);
  github::NewIssue copy{first.title, first.body, {"probewatch"}};
  const int second = h.tracker.create(copy)->number;
  h.run();
  CHECK(h.open_incidents().size() == 1);
  CHECK(h.tracker.get(second)->state_reason == "duplicate");
  CHECK(h.tracker.comments(second)->back().body.starts_with("Duplicate of #" + std::to_string(first.number)));
}

TEST_CASE("sync: failure_threshold and removed checks") {
  Harness h("issues: { failure_threshold: 2 }\n" + std::string(k_two_checks));
  h.set("api", false);
  h.run();
  CHECK(h.open_incidents().empty());
  h.run();
  REQUIRE(h.open_incidents().size() == 1);
  const int number = h.open_incidents().at(0).number;

  h.config.checks.erase(h.config.checks.begin());
  h.results.erase("api");
  h.keep_orphans = true;
  h.run();
  CHECK(h.tracker.get(number)->state == "open");
  h.keep_orphans = false;
  h.run();
  CHECK(h.tracker.get(number)->state == "closed");
  CHECK(h.tracker.get(number)->state_reason == "not_planned");
  CHECK(h.tracker.comments(number)->back().body.find("removed from the configuration") != std::string::npos);
}

TEST_CASE("sync: without a dashboard, mutes are read from recently closed incidents") {
  Harness h("issues: { dashboard: false }\n" + std::string(k_two_checks));
  h.set("api", false);
  h.run();
  const int number = h.open_incidents().at(0).number;
  github::IssueUpdate close;
  close.state = "closed";
  close.state_reason = "not_planned";
  h.tracker.update(number, close);
  auto muted = h.run();
  CHECK(muted.actions.empty());
  CHECK(h.open_incidents().empty());
}

TEST_CASE("sync: a maintenance window holds a failing check's incident, and its end lets it open") {
  Harness h(std::string(k_two_checks) +
            "maintenance:\n  - name: Database upgrade\n    checks: [api]\n    start: 2026-11-27T00:00:00Z\n"
            "    end: 2026-11-27T00:30:00Z\n");
  h.set("api", false);
  h.set("web", false);
  auto during = h.run();
  CHECK(during.errors.empty());
  REQUIRE(h.open_incidents().size() == 1);  // web's: the window covers api only
  CHECK(during.paused == pw::Pauses{{"api", {"Database upgrade", *github::parse_iso8601("2026-11-27T00:30:00Z"), 0}}});
  auto dashboard_body = [&] {
    const auto open = h.tracker.list_open("probewatch").value();
    for (const auto& issue : open) {
      if (issue.title == "probewatch dashboard") {
        return issue.body;
      }
    }
    return std::string();
  };
  const std::string dashboard = dashboard_body();
  INFO(dashboard);
  CHECK(dashboard.find("| 🔧 | API | in maintenance (Database upgrade, until 2026-11-27 00:30 UTC), failing |") !=
        std::string::npos);
  CHECK(dashboard.find("· 🔧 1 in maintenance") != std::string::npos);
  auto after = h.run(30min);
  CHECK(after.paused.empty());
  CHECK(h.open_incidents().size() == 2);
  CHECK(dashboard_body().find("🔧") == std::string::npos);
}

TEST_CASE("sync: a maintenance issue pauses the checks it names until it is closed") {
  Harness h(k_two_checks);
  h.set("api", false);
  h.run();
  REQUIRE(h.open_incidents().size() == 1);
  const int incident = h.open_incidents().front().number;
  const std::size_t comments = h.comments(incident);
  github::NewIssue pause;
  pause.title = "Database upgrade";
  pause.body = "We move the database.\n\nchecks: `api`\n";
  pause.labels = {"probewatch", "maintenance"};
  const int issue = h.tracker.create(pause).value().number;

  auto paused = h.run(25h);  // a reminder would be due
  CHECK(paused.errors.empty());
  CHECK(paused.warnings.empty());
  CHECK(paused.paused == pw::Pauses{{"api", {"#" + std::to_string(issue), pw::TimePoint{}, issue}}});
  CHECK(h.comments(incident) == comments);
  CHECK(paused.actions.empty());

  github::IssueUpdate close;
  close.state = "closed";
  REQUIRE(h.tracker.update(issue, close).has_value());
  auto resumed = h.run();
  CHECK(resumed.paused.empty());
  CHECK(h.comments(incident) == comments + 1);  // the reminder, now that the pause is over

  pause.body = "no list here";
  const int vague = h.tracker.create(pause).value().number;
  auto warned = h.run();
  CHECK(warned.paused.empty());
  REQUIRE(warned.warnings.size() == 1);
  CHECK(warned.warnings[0] == "maintenance issue #" + std::to_string(vague) +
                                  " names no checks, so it pauses none; add a line \"checks: api-health, web\" or "
                                  "\"checks: all\" to its body");
}

TEST_CASE("sync: a maintenance issue's checks line") {
  CHECK(pw::maintenance_checks("checks: api, web") == std::vector<std::string>{"api", "web"});
  CHECK(pw::maintenance_checks("text\r\n  Checks: `api` `web`\r\nmore") == std::vector<std::string>{"api", "web"});
  CHECK(pw::maintenance_checks("checks: all") == std::vector<std::string>{});
  CHECK(pw::maintenance_checks("checks: *") == std::vector<std::string>{});
  CHECK_FALSE(pw::maintenance_checks("checks:"));
  CHECK_FALSE(pw::maintenance_checks("we check: nothing"));
}
