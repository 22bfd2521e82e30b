// `probewatch run` end to end in process: config file, scripted probes, the real GitHub client
// over a fake GitHub, a fake clock. Many runs per scenario.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

constexpr const char* k_api = "http://api.test/health";
constexpr const char* k_web = "http://web.test/";

const std::string k_config = std::string("defaults: { retries: 0 }\nchecks:\n  - name: API health\n    url: ") + k_api +
                             "\n    expect: { status: 200 }\n  - name: Web\n    url: " + k_web + "\n";

struct Scenario : AppHarness {
  Scenario(const std::string& config = k_config) {
    write_config(config);
    prober.set_status(k_api, 200);
    prober.set_status(k_web, 200);
  }
  // Runs once, five minutes after the previous run, and returns the exit code.
  int step(std::vector<std::string> extra = {}) {
    clock.advance(5min);
    last = run_config(std::move(extra));
    INFO(last.out << last.err);
    return last.exit_code;
  }
  nlohmann::json report() {
    std::ifstream in(path("report.json"));
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
  }
  Result last;
};

}  // namespace

TEST_CASE("run: a quiet run makes exactly one request") {
  Scenario s;
  CHECK(s.step() == 0);  // first run: list + create the dashboard
  s.github.clear_requests();
  CHECK(s.step({"--report", "report.json"}) == 0);
  CHECK(s.github.requests().size() == 1);
  CHECK(s.github.count_requests("GET", "list_issues") == 1);
  CHECK(s.report()["api_requests"] == 1);
  CHECK(s.report()["actions"].empty());
}

TEST_CASE("run: open, keep current, remind, recover, reopen") {
  Scenario s;
  s.step();
  s.prober.set_status(k_api, 404);
  s.github.clear_requests();
  CHECK(s.step({"--report", "report.json"}) == 1);
  auto open = s.open_incidents();
  REQUIRE(open.size() == 1);
  const int number = open[0].number;
  CHECK(open[0].title == "API health is failing");
  CHECK(open[0].labels == std::vector<std::string>{"probewatch"});
  CHECK(s.github.count_requests("POST", "create_issue") == 1);
  // The create, the duplicate re-check, and the dashboard edit, after the first list.
  CHECK(s.github.count_requests("GET", "list_issues") == 2);
  const auto report = s.report();
  CHECK(report["actions"][0]["kind"] == "create");
  CHECK(report["actions"][0]["issue"] == number);
  CHECK(report["actions"][0]["url"] == "https://github.com/octo/app/issues/" + std::to_string(number));
  CHECK(report["checks"][0]["failed_expectations"][0] == "status 404 not in [200]");

  // Still failing the same way: each run reads once and writes nothing.
  const std::string opened_body = *s.github.issue(AppHarness::k_repo, number)->body;
  for (int i = 0; i < 5; ++i) {
    s.github.clear_requests();
    CHECK(s.step() == 1);
    CHECK(s.github.requests().size() == 1);
  }
  CHECK(s.open_incidents().size() == 1);
  CHECK(s.comments(number).empty());  // never one comment per run
  CHECK(*s.github.issue(AppHarness::k_repo, number)->body == opened_body);

  s.clock.advance(24h);
  s.step();
  REQUIRE(s.comments(number).size() == 1);
  CHECK(s.comments(number)[0].body.starts_with("**Still failing**"));

  s.prober.set_timeout(k_api);
  s.step();  // within an hour of the reminder: the body shows the new kind, the comment waits
  CHECK(s.comments(number).size() == 1);
  CHECK(s.github.issue(AppHarness::k_repo, number)->body->find("timed out") != std::string::npos);
  s.clock.advance(1h);
  s.step();
  REQUIRE(s.comments(number).size() == 2);
  CHECK(s.comments(number)[1].body.starts_with("**The failure changed.**"));

  s.prober.set_status(k_api, 200);
  CHECK(s.step() == 0);
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "closed");
  CHECK(s.github.issue(AppHarness::k_repo, number)->state_reason == "completed");
  CHECK(s.comments(number).back().body.starts_with("**Recovered after 1d"));

  s.prober.set_status(k_api, 503);
  s.step();
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "open");
  CHECK(s.github.issue(AppHarness::k_repo, number)->state_reason == "reopened");
  CHECK(s.open_incidents().size() == 1);
}

TEST_CASE("run: a person's not-planned close mutes the check") {
  Scenario s;
  s.prober.set_status(k_api, 500);
  s.step();
  const int number = s.open_incidents().at(0).number;
  s.github.clear_requests();
  github::HttpRequest close{"PATCH",
                            "https://api.github.com/repos/octo/app/issues/" + std::to_string(number),
                            {{"authorization", std::string("Bearer ") + AppHarness::k_token}},
                            R"({"state":"closed","state_reason":"not_planned"})"};
  REQUIRE(s.github.handle(close).status == 200);
  s.step();
  s.step();
  s.step();
  CHECK(s.open_incidents().empty());
  CHECK(s.github.count_requests("POST", "create_issue") == 0);
  s.github.clear_requests();
  s.step();
  CHECK(s.github.requests().size() == 1);  // the mute is remembered: no lookups, no writes
}

TEST_CASE("run: a removed check's incident is closed as not planned") {
  Scenario s;
  s.prober.set_status(k_web, 502);
  s.step();
  const int number = s.open_incidents().at(0).number;
  s.write_config(std::string("checks:\n  - name: API health\n    url: ") + k_api + "\n");
  s.step({"--keep-orphans"});
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "open");
  s.step();
  CHECK(s.github.issue(AppHarness::k_repo, number)->state == "closed");
  CHECK(s.github.issue(AppHarness::k_repo, number)->state_reason == "not_planned");
}

TEST_CASE("run: people's issues and pull requests with the label are left alone") {
  Scenario s;
  const int theirs =
      s.github.add_issue(AppHarness::k_repo, {"API health is failing", "It is down for me", {"probewatch"}});
  const int pull = s.github.add_pull_request(
      AppHarness::k_repo,
      {"Fix API", "<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"api-health\"} -->", {"probewatch"}});
  s.prober.set_status(k_api, 404);
  s.step();
  s.prober.set_status(k_api, 200);
  s.step();
  CHECK(s.github.issue(AppHarness::k_repo, theirs)->state == "open");
  CHECK(*s.github.issue(AppHarness::k_repo, theirs)->body == "It is down for me");
  CHECK(s.comments(theirs).empty());
  CHECK(s.github.issue(AppHarness::k_repo, pull)->state == "open");
  CHECK(s.comments(pull).empty());
}

TEST_CASE("run: dry-run prints the plan and writes nothing") {
  Scenario s;
  s.prober.set_status(k_api, 404);
  s.github.clear_requests();
  CHECK(s.step({"--dry-run"}) == 1);
  CHECK(s.last.out.find("\nwould open a new issue API health is failing: status 404 not in [200]\n") !=
        std::string::npos);
  CHECK(s.github.count_requests("POST") == 0);
  CHECK(s.github.count_requests("PATCH") == 0);
  CHECK(s.open_incidents().empty());
}

TEST_CASE("run: exit codes follow --fail-on; tracker errors exit 3") {
  Scenario s;
  s.prober.set_status(k_api, 404);
  CHECK(s.step({"--fail-on", "never"}) == 0);
  CHECK(s.step({"--fail-on", "new"}) == 0);  // the incident is already open
  CHECK(s.step({"--fail-on", "any"}) == 1);
  s.env["GITHUB_TOKEN"] = "wrong";
  s.github.add_token(AppHarness::k_token, "probewatch[bot]");
  CHECK(s.step() == 3);
  CHECK(s.last.err.find("wrong") == std::string::npos);
}

TEST_CASE("run: the token and substituted secrets never reach output, report or issues") {
  Scenario s(
      "checks:\n  - name: API\n    url: http://api.test/health?key=${API_KEY}\n    headers: { X-Auth: \"${API_KEY}\" }\n");
  s.env["API_KEY"] = "canary-key-9f8e7d";
  s.prober.set_status("http://api.test/health?key=canary-key-9f8e7d", 401);
  s.step({"--report", "report.json"});
  std::ifstream in(s.path("report.json"));
  std::stringstream report;
  report << in.rdbuf();
  for (const std::string& canary : {std::string("canary-key-9f8e7d"), std::string(AppHarness::k_token)}) {
    CHECK(s.last.out.find(canary) == std::string::npos);
    CHECK(s.last.err.find(canary) == std::string::npos);
    CHECK(report.str().find(canary) == std::string::npos);
    CHECK(s.github.dump().dump().find(canary) == std::string::npos);
  }
  CHECK(report.str().find("key=***") != std::string::npos);
}
