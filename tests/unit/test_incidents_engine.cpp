// The incident engine against GitHub's real behaviour, in process: the real CLI, the real GitHub
// client over a fake GitHub, scripted probes and a fake clock, over many runs. Writes proportional
// to change, identity per config, trust, idempotent steps, transfers and dropped labels.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;
using pw::test::FaultKind;
using pw::test::FaultRule;

namespace {

std::string url_of(int i) { return fmt::format("http://svc{}.test/health", i); }

std::string many_checks(int count) {
  std::string yaml = "defaults: { retries: 0 }\nchecks:\n";
  for (int i = 0; i < count; ++i) {
    yaml += fmt::format("  - id: svc-{}\n    url: {}\n", i, url_of(i));
  }
  return yaml;
}

struct Engine : AppHarness {
  // One run of `probewatch run --config FILE`, five minutes after the previous one.
  Result step(const std::string& config = "probewatch.yml") {
    clock.advance(5min);
    github.clear_requests();
    Result result = run({"run", "--config", path(config).string()});
    INFO(result.out << result.err);
    return result;
  }
  std::size_t writes() const {
    return github.count_requests("POST") + github.count_requests("PATCH") + github.count_requests("PUT") +
           github.count_requests("DELETE");
  }
  std::vector<pw::test::FakeIssue> incidents_of(const std::string& check, const std::string& state = "open") const {
    std::vector<pw::test::FakeIssue> out;
    for (const auto& issue : github.issues(k_repo)) {
      if ((state.empty() || issue.state == state) && issue.body &&
          issue.body->find(fmt::format("\"check\":\"{}\"", check)) != std::string::npos &&
          issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
        out.push_back(issue);
      }
    }
    return out;
  }
  std::size_t dashboards() const {
    std::size_t count = 0;
    for (const auto& issue : github.issues(k_repo)) {
      count += issue.state == "open" && issue.body && issue.body->find("\"kind\":\"dashboard\"") != std::string::npos;
    }
    return count;
  }
};

}  // namespace

TEST_CASE("engine: a 100-check outage costs only the list while nothing changes") {
  Engine s;
  s.write_config("issues: { write_budget: 200 }\n" + many_checks(100));
  for (int i = 0; i < 100; ++i) {
    s.prober.set_status(url_of(i), 503);
  }
  CHECK(s.step().exit_code == 1);
  CHECK(s.github.count_requests("POST", "create_issue") == 101);  // 100 incidents and the dashboard

  // 12 runs, an hour on a 5-minute schedule: 101 managed issues are two pages of the list, but
  // the first page of recently updated issues and the dashboard's listing tell the rest, and
  // nothing is written but the dashboard once, when the hour of response times closes.
  std::size_t requests = 0;
  std::size_t writes = 0;
  for (int run = 0; run < 12; ++run) {
    CHECK(s.step().exit_code == 1);
    CHECK(s.github.count_requests("GET", "list_issues") == 1);
    requests += s.github.requests().size();
    writes += s.writes();
  }
  CHECK(writes == 1);
  CHECK(requests == 12 + 1);
  CHECK(s.open_incidents().size() == 100);

  SUBCASE("the body is refreshed once the refresh interval passed, once") {
    s.clock.advance(5h);
    s.step();
    // The 100 incidents, and the dashboard: its uptime figures moved on to the 6-hour mark.
    CHECK(s.github.count_requests("PATCH", "update_issue") == 101);
    CHECK(s.github.count_requests("POST") == 0);
    s.step();
    CHECK(s.writes() == 0);
  }
  SUBCASE("a person mutes the oldest incident, which is not on the first page: the next run sees it") {
    const int oldest = s.open_incidents().front().number;
    s.clock.advance(1min);
    github::HttpRequest close{"PATCH",
                              "https://api.github.com/repos/octo/app/issues/" + std::to_string(oldest),
                              {{"authorization", std::string("Bearer ") + AppHarness::k_token}},
                              R"({"state":"closed","state_reason":"not_planned"})"};
    REQUIRE(s.github.handle(close).status == 200);
    s.github.clear_requests();
    CHECK(s.step().exit_code == 1);
    // The page shows it closed; the dashboard then records the mute, after listing every page.
    CHECK(s.github.count_requests("POST") == 0);
    CHECK(s.github.count_requests("PATCH", "update_issue") == 1);
    CHECK(s.open_incidents().size() == 99);
    CHECK(s.github.issue(AppHarness::k_repo, oldest)->state_reason == "not_planned");
    s.github.clear_requests();
    CHECK(s.step().exit_code == 1);
    CHECK(s.github.requests().size() == 1);  // quiet again: the muted check stays muted, in one request
  }
  SUBCASE("all recover: each closes with one comment") {
    for (int i = 0; i < 100; ++i) {
      s.prober.set_status(url_of(i), 200);
    }
    CHECK(s.step().exit_code == 0);
    CHECK(s.open_incidents().empty());
    CHECK(s.github.count_requests("POST", "create_comment") == 100);
    CHECK(s.step().exit_code == 0);
    CHECK(s.writes() == 0);
  }
}

TEST_CASE("engine: a label that holds more than a page of closed incidents still reads one page when quiet") {
  Engine s;
  s.write_config("issues: { write_budget: 300 }\n" + many_checks(120));
  for (int i = 0; i < 120; ++i) {
    s.prober.set_status(url_of(i), 503);
  }
  CHECK(s.step().exit_code == 1);
  for (int i = 0; i < 120; ++i) {
    s.prober.set_status(url_of(i), 200);
  }
  s.clock.advance(5min);
  CHECK(s.step().exit_code == 0);  // all closed: 121 issues carry the label, one of them open
  CHECK(s.open_incidents().empty());
  for (int run = 0; run < 6; ++run) {
    s.clock.advance(5min);
    CHECK(s.step().exit_code == 0);
    CHECK(s.github.count_requests("GET") == 1);  // and the dashboard once an hour, for the response times
  }
  SUBCASE("a maintenance issue that the first page does not show: every page, and still nothing written") {
    const int maintenance =
        s.github.add_issue(AppHarness::k_repo, {"Maintenance", "checks: all", {"probewatch", "maintenance"}});
    s.clock.advance(5min);
    s.step();                        // on the page: the dashboard names it in its listing
    for (int i = 0; i < 110; ++i) {  // people touch 110 of the closed incidents: it drops off the page
      s.github.add_comment(AppHarness::k_repo, i + 1, "post-mortem notes");
    }
    s.clock.advance(1min);
    CHECK(s.step().exit_code == 0);  // every page; the listing is dated by the page's later times once
    CHECK(s.writes() <= 1);
    for (int run = 0; run < 3; ++run) {  // within the hour, so the response times write nothing either
      s.clock.advance(1min);
      CHECK(s.step().exit_code == 0);
      CHECK(s.github.count_requests("GET", "list_issues") == 2);  // the page, then the open list
      CHECK(s.writes() == 0);                                     // nothing changed: no dashboard write over and over
    }
    CHECK(s.github.issue(AppHarness::k_repo, maintenance)->state == "open");
  }
}

TEST_CASE("engine: a 502/503 flap over ten runs makes at most one comment per change_throttle interval") {
  Engine s;
  s.write_config(many_checks(1));
  s.prober.set_status(url_of(0), 502);
  s.step();
  const int number = s.open_incidents().at(0).number;
  for (int run = 0; run < 10; ++run) {
    s.prober.set_status(url_of(0), run % 2 == 0 ? 503 : 502);
    CHECK(s.step().exit_code == 1);
  }
  CHECK(s.comments(number).empty());  // 50 minutes: inside the first hour after opening
  CHECK(s.github.issue(AppHarness::k_repo, number)->body->find("status 502 not in") != std::string::npos);
  for (int run = 0; run < 12; ++run) {  // the next hour
    s.prober.set_status(url_of(0), run % 2 == 0 ? 503 : 502);
    s.step();
  }
  CHECK(s.comments(number).size() == 1);
  CHECK(s.comments(number)[0].body.starts_with("**The failure changed.**"));
}

TEST_CASE("engine: two config files on one label never touch each other's issues") {
  Engine s;
  s.write_config("defaults: { retries: 0 }\nchecks:\n  - id: api\n    url: http://api.test/\n");
  std::filesystem::copy_file(s.path("probewatch.yml"), s.path("other.yml"));
  {
    std::ofstream(s.path("other.yml")) << "defaults: { retries: 0 }\nchecks:\n  - id: web\n    url: http://web.test/\n";
  }
  s.prober.set_status("http://api.test/", 503);
  s.prober.set_status("http://web.test/", 503);
  for (int run = 0; run < 6; ++run) {
    CHECK(s.step(run % 2 == 0 ? "probewatch.yml" : "other.yml").exit_code == 1);
  }
  REQUIRE(s.incidents_of("api").size() == 1);
  REQUIRE(s.incidents_of("web").size() == 1);
  CHECK(s.incidents_of("api", "closed").empty());
  CHECK(s.incidents_of("web", "closed").empty());
  CHECK(s.dashboards() == 2);
  CHECK(s.incidents_of("api")[0].body->find("\"config\":\"probewatch.yml\"") != std::string::npos);
  CHECK(s.incidents_of("web")[0].body->find("\"config\":\"other.yml\"") != std::string::npos);

  // One recovers: only its own incident closes, and the other config's stays muted by no one.
  s.prober.set_status("http://api.test/", 200);
  s.step("probewatch.yml");
  s.step("other.yml");
  CHECK(s.incidents_of("api").empty());
  CHECK(s.incidents_of("api", "closed").at(0).state_reason == "completed");
  REQUIRE(s.incidents_of("web").size() == 1);
  CHECK(s.comments(s.incidents_of("web")[0].number).empty());
}

TEST_CASE("engine: forged markers and pull requests are never written") {
  Engine s;
  s.write_config(many_checks(1));
  // A person's issue whose body claims to be the incident of svc-0, one claiming to be the
  // dashboard (remembering a closed incident #1 to reopen), and a pull request with the label.
  const std::string incident_marker = R"(<!-- probewatch:v1 {"kind":"incident","check":"svc-0"} -->)";
  const int forged = s.github.add_issue(AppHarness::k_repo, {"svc-0 is failing", incident_marker, {"probewatch"}});
  const std::string dashboard_marker = fmt::format(
      R"(<!-- probewatch:v1 {{"kind":"dashboard","checks":{{"svc-0":{{"status":"passing","closed":{},"closed_at":"{}"}}}}}} -->)",
      forged, "2099-01-01T00:00:00Z");
  const int fake_dashboard = s.github.add_issue(AppHarness::k_repo, {"dashboard", dashboard_marker, {"probewatch"}});
  const int pull = s.github.add_pull_request(AppHarness::k_repo, {"Fix", incident_marker, {"probewatch"}});

  s.prober.set_status(url_of(0), 503);
  const auto failing = s.step();
  CHECK(failing.err.find("probewatch: warning: ignored 2 issue(s) whose probewatch marker was not written by a "
                         "trusted author (#" +
                         std::to_string(forged) + " by octocat, #" + std::to_string(fake_dashboard) +
                         " by octocat); if probewatch writes as that account now (a new token, a GitHub App or a "
                         "personal token), add it to issues.trusted_authors") != std::string::npos);
  s.prober.set_status(url_of(0), 200);
  s.step();
  s.prober.set_status(url_of(0), 503);
  s.step();
  for (const int number : {forged, fake_dashboard, pull}) {
    const auto issue = s.github.issue(AppHarness::k_repo, number);
    REQUIRE(issue.has_value());
    CHECK(issue->state == "open");
    CHECK(s.comments(number).empty());
  }
  CHECK(*s.github.issue(AppHarness::k_repo, forged)->body == incident_marker);
  CHECK(*s.github.issue(AppHarness::k_repo, fake_dashboard)->body == dashboard_marker);
  // The bot's own incident was reopened, not the forged target.
  const auto both = s.incidents_of("svc-0");
  REQUIRE(both.size() == 2);  // the forged one still says so; ours is the other
  const auto& ours = both[0].number == forged ? both[1] : both[0];
  CHECK(ours.author == "github-actions[bot]");
  CHECK(ours.state_reason == "reopened");
  REQUIRE(s.comments(ours.number).size() == 2);
  CHECK(s.comments(ours.number)[1].body.starts_with("**Failing again**"));

  SUBCASE("trusted_authors makes a change of token keep its incidents") {
    Engine t;
    t.write_config("issues: { trusted_authors: [octocat] }\n" + many_checks(1));
    const int old = t.github.add_issue(AppHarness::k_repo, {"svc-0 is failing", incident_marker, {"probewatch"}});
    t.prober.set_status(url_of(0), 503);
    t.step();
    CHECK(t.incidents_of("svc-0").size() == 1);
    CHECK(t.incidents_of("svc-0")[0].number == old);
  }
}

TEST_CASE("engine: a close cut off after its comment is finished by the next run, with one comment") {
  Engine s;
  s.write_config(many_checks(1));
  s.prober.set_status(url_of(0), 503);
  s.step();
  const int number = s.open_incidents().at(0).number;
  s.prober.set_status(url_of(0), 200);
  FaultRule refuse;
  refuse.fault = FaultKind::forbidden;
  refuse.method = "PATCH";
  refuse.path = "/issues/" + std::to_string(number);
  s.github.inject(refuse);
  CHECK(s.step().exit_code == 3);
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "open");
  CHECK(s.comments(number).size() == 1);
  s.github.clear_faults();
  CHECK(s.step().exit_code == 0);
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "closed");
  REQUIRE(s.comments(number).size() == 1);
  CHECK(s.comments(number)[0].body.starts_with("**Recovered after "));
}

TEST_CASE("engine: a transferred incident is treated as gone; dropped labels are reported") {
  Engine s;
  s.write_config(many_checks(1));
  s.prober.set_status(url_of(0), 503);
  s.step();
  const int number = s.open_incidents().at(0).number;
  s.github.transfer_issue(AppHarness::k_repo, number, "octo/elsewhere");
  const auto moved = s.step();
  CHECK(moved.err.find(fmt::format("probewatch: warning: incident #{} was transferred to another repository; "
                                   "probewatch treats it as gone here",
                                   number)) != std::string::npos);
  CHECK(moved.exit_code == 1);
  const auto reopened = s.step();  // still failing: a new incident here, never an endless exit 3
  CHECK(reopened.exit_code == 1);
  const auto here = s.incidents_of("svc-0");
  const auto staying = std::count_if(here.begin(), here.end(), [](const auto& i) { return i.transferred_to.empty(); });
  CHECK(staying == 1);
  CHECK(s.step().exit_code == 1);
  CHECK(s.github.requests().size() == 1);

  SUBCASE("a create whose labels GitHub dropped") {
    Engine t;
    t.write_config(many_checks(3));
    t.github.set_labels_allowed(AppHarness::k_repo, false);
    for (int i = 0; i < 3; ++i) {
      t.prober.set_status(url_of(i), 503);
    }
    const auto dropped = t.step();
    CHECK(dropped.exit_code == 3);
    CHECK(dropped.err.find("GitHub dropped the label(s) probewatch from #1 in octo/app on GitHub: the token may not "
                           "set labels, so probewatch cannot find this issue again. Give the workflow `permissions: "
                           "issues: write`") != std::string::npos);
    // One issue the next run cannot find is the most a run leaves: the other checks and the
    // dashboard wait for a token that may set labels.
    CHECK(t.github.count_requests("POST", "create_issue") == 1);
    CHECK(dropped.err.find("did not open 3 more issue(s) (svc-1, svc-2, the dashboard) in octo/app on GitHub: GitHub "
                           "dropped the label \"probewatch\" from the last one created, and an issue without it would "
                           "be lost and opened again by every run; the next run opens them once the token may set "
                           "labels") != std::string::npos);
  }
}

TEST_CASE("engine: labels are compared without case, and created with a colour when missing") {
  Engine s;
  s.write_config("issues: { labels: [ProbeWatch, sev-2] }\n" + many_checks(1));
  s.prober.set_status(url_of(0), 503);
  s.step();
  const auto labels = s.github.labels(AppHarness::k_repo);
  const auto bot = std::find_if(labels.begin(), labels.end(), [](const auto& l) { return l.name == "ProbeWatch"; });
  REQUIRE(bot != labels.end());
  CHECK(bot->color == "b60205");
  s.step();
  CHECK(s.github.requests().size() == 1);  // no label added again, no label created again
}

TEST_CASE("engine: one config of 10,000 checks runs without shards") {
  Engine s;
  s.write_config(many_checks(10000));
  for (int i = 0; i < 10000; ++i) {
    s.prober.set_status(url_of(i), 200);
  }
  const auto first = s.step();
  INFO(first.err.substr(0, 2000));
  CHECK(first.exit_code == 0);  // all passing: the dashboard is made, nothing else
  // Ten thousand hosts' healthy fingerprints are what gives way; no check's state is lost.
  CHECK(first.err.find("probewatch: warning: the dashboard's memory did not fit one issue, so it leaves out the "
                       "healthy fingerprints of 10000 hosts (diagnosis compares less); split the checks into shards "
                       "(--shard I/N) to keep all of it") != std::string::npos);
  CHECK(s.github.count_requests("POST", "create_issue") == 1);
  const auto dashboard = s.github.issue(AppHarness::k_repo, 1);
  REQUIRE(dashboard.has_value());
  CHECK(dashboard->body->size() <= 65536);
  CHECK(s.step().exit_code == 0);
  CHECK(s.github.requests().size() == 1);

  for (int i = 0; i < 10000; i += 200) {
    s.prober.set_status(url_of(i), 503);
  }
  CHECK(s.step().exit_code == 1);
  CHECK(s.open_incidents().size() == 50);
  CHECK(s.github.count_requests("POST", "create_issue") == 50);
  CHECK(s.step().exit_code == 1);
  CHECK(s.writes() == 0);

  for (int i = 0; i < 10000; i += 200) {
    s.prober.set_status(url_of(i), 200);
  }
  CHECK(s.step().exit_code == 0);
  CHECK(s.open_incidents().empty());
  CHECK(s.github.issue(AppHarness::k_repo, 1)->body->size() <= 65536);
}

TEST_CASE("engine: new incidents past the write budget wait for the next run, without duplicates") {
  Engine s;
  s.write_config("issues: { write_budget: 10 }\n" + many_checks(25));
  for (int i = 0; i < 25; ++i) {
    s.prober.set_status(url_of(i), 503);
  }
  const auto first = s.step();
  CHECK(first.exit_code == 1);            // failing, and nothing was lost: not exit 3
  CHECK(s.open_incidents().size() == 9);  // the dashboard was the tenth new issue
  CHECK(first.err.find("probewatch: warning: 16 new incident(s) wait for the next run (svc-9, ") != std::string::npos);
  s.step();
  CHECK(s.open_incidents().size() == 19);
  s.step();
  CHECK(s.open_incidents().size() == 25);
  s.step();
  CHECK(s.writes() == 0);
  for (int i = 0; i < 25; ++i) {
    CHECK(s.incidents_of(fmt::format("svc-{}", i)).size() == 1);
  }
}

TEST_CASE("engine: the hourly write budget holds new incidents back across runs, and lets them through an hour on") {
  Engine s;
  s.write_config("issues: { write_budget: 60, hourly_write_budget: 100 }\n" + many_checks(150));
  for (int i = 0; i < 150; ++i) {
    s.prober.set_status(url_of(i), 503);
  }
  s.step();
  CHECK(s.github.count_requests("POST", "create_issue") == 60);  // the dashboard and 59 incidents
  const auto second = s.step();
  CHECK(s.github.count_requests("POST", "create_issue") == 40);  // 100 in the hour
  CHECK(second.err.find("probewatch: warning: 51 new incident(s) wait for a later run (") != std::string::npos);
  CHECK(second.err.find("this config's runs wrote 60 new issues and comments in the last hour, and GitHub allows a "
                        "token about 500 an hour (issues.hourly_write_budget: 100), so this run could write 40\n") !=
        std::string::npos);
  s.step();
  CHECK(s.github.count_requests("POST", "create_issue") == 0);
  CHECK(s.github.count_requests("POST") == 0);   // held back: no issue, no comment
  CHECK(s.github.count_requests("PATCH") == 1);  // the dashboard, which counts the waiting checks' runs
  s.clock.advance(1h);
  s.step();
  CHECK(s.github.count_requests("POST", "create_issue") == 51);  // the rest, and no duplicate
  std::size_t open = 0;
  for (int i = 0; i < 150; ++i) {
    const auto incidents = s.incidents_of(fmt::format("svc-{}", i));
    CHECK(incidents.size() == 1);
    open += incidents.size();
  }
  CHECK(open == 150);
}

TEST_CASE("engine: a reminder costs what the README says") {
  Engine s;
  s.write_config(many_checks(1));
  s.prober.set_status(url_of(0), 503);
  s.step();
  s.clock.advance(24h);
  s.step();
  CHECK(s.github.count_requests("POST", "create_comment") == 1);
  // The list, the comment, the incident's marker and the dashboard's table: "+ 3".
  CHECK(s.github.requests().size() == 4);
}
