// Honest scheduling through the action, in process, with a fake clock: a late run records a
// monitoring gap; the dashboard shows the last 24 hours' gaps and the job summary the current one.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

struct Scheduled : AppHarness {
  Scheduled() {
    write_config(
        "schedule: 5m\ndefaults: { retries: 0 }\nchecks:\n  - id: api\n    name: API\n    url: "
        "http://api.test/health\n");
    prober.set_status("http://api.test/health", 200);
    env["INPUT_CONFIG"] = "probewatch.yml";
    env["GITHUB_STEP_SUMMARY"] = path("summary.md").string();
  }
  // One action run `after` the previous one; returns its job summary.
  std::string step(std::chrono::minutes after) {
    clock.advance(after);
    std::filesystem::remove(path("summary.md"));
    last = run({"action"});
    INFO(last.out << last.err);
    CHECK(last.exit_code == 0);
    std::ifstream in(path("summary.md"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string dashboard() const {
    for (const pw::test::FakeIssue& issue : github.issues(k_repo)) {
      if (issue.body && issue.body->find("\"kind\":\"dashboard\"") != std::string::npos) {
        return *issue.body;
      }
    }
    return "";
  }
  Result last;
};

}  // namespace

TEST_CASE("gaps: a late run records a monitoring gap; the dashboard and the job summary show it") {
  Scheduled s;
  CHECK(s.step(0min).find("Monitoring gap") == std::string::npos);
  CHECK(s.step(5min).find("Monitoring gap") == std::string::npos);
  CHECK(s.dashboard().find("Monitoring gaps") == std::string::npos);

  // 40 minutes after the previous run, with runs expected every 5: the 35 minutes past one interval
  // were not watched.
  const std::string summary = s.step(40min);
  CHECK(summary.find("> **Monitoring gap:** this run came late; nothing was probed for 35m") != std::string::npos);
  CHECK(summary.find("That time counts as unknown, never as up.") != std::string::npos);
  CHECK(s.last.err.find("probewatch: warning: this run started 40m after the previous one, though runs are expected "
                        "every 5m (schedule): 35m of monitoring gap recorded, during which nothing was probed\n") !=
        std::string::npos);
  CHECK(s.dashboard().find("Monitoring gaps in the last 24 h: 1 (longest 35m, 35m in all)") != std::string::npos);
  CHECK(s.dashboard().find(R"("gaps":[[)") != std::string::npos);

  // The next run on time names no current gap; the dashboard still counts the day's.
  CHECK(s.step(5min).find("Monitoring gap") == std::string::npos);
  CHECK(s.dashboard().find("Monitoring gaps in the last 24 h: 1 (longest 35m") != std::string::npos);

  // A day later (after on-time runs) the gap leaves the dashboard's view but stays in the memory.
  for (int i = 0; i < 12 * 25; ++i) {
    s.clock.advance(5min);
    s.run({"action"});
  }
  CHECK(s.dashboard().find("Monitoring gaps") == std::string::npos);
  CHECK(s.dashboard().find(R"("gaps":[[)") != std::string::npos);
}

TEST_CASE("gaps: without schedule a quiet run still writes nothing") {
  AppHarness s;
  s.write_config("defaults: { retries: 0 }\nchecks:\n  - id: api\n    url: http://api.test/health\n");
  s.prober.set_status("http://api.test/health", 200);
  s.run_config();
  s.clock.advance(50min);
  s.github.clear_requests();
  s.run_config();
  CHECK(s.github.requests().size() == 1);
  // Hours later: the dashboard is written once, for the hour of response times that closed.
  s.clock.advance(3h);
  s.github.clear_requests();
  s.run_config();
  CHECK(s.github.requests().size() == 2);
  CHECK(s.github.count_requests("PATCH", "update_issue") == 1);
  s.clock.advance(5min);
  s.github.clear_requests();
  s.run_config();
  CHECK(s.github.requests().size() == 1);
}

TEST_CASE("gaps: schedule must be a duration of at least 1s") {
  AppHarness s;
  s.write_config("schedule: 500ms\nchecks:\n  - id: api\n    url: http://api.test/health\n");
  const AppHarness::Result result = s.run({"validate", "--config", "probewatch.yml"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "probewatch.yml:1:11: \"schedule\" must be at least 1s: it is how often runs are expected\n");
}
