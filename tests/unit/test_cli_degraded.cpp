#include <bot/action/summary.hpp>
#include <bot/config/load.hpp>
#include <bot/report/report.hpp>

#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

const std::string k_degraded_url = "https://api.example.test/health";

nlohmann::json read_report_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace

TEST_CASE("cli: a degraded check shows in the table, the report and the summary, and opens no incident") {
  AppHarness app;
  app.write_config("checks:\n  - name: API\n    url: " + k_degraded_url +
                   "\n    expect: { status: 200, degraded_response_time: 800ms }\n");
  pw::Evidence slow = pw::test::ScriptedProber::json(k_degraded_url, "{}");
  slow.response_time = 950ms;
  app.prober.set(k_degraded_url, slow);

  SUBCASE("check: the console table and the report") {
    const AppHarness::Result result = app.run({"check", "--config", "probewatch.yml", "--report", "report.json"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("degraded  API    200     950ms  response time 950ms over degraded_response_time 800ms\n") !=
          std::string::npos);
    CHECK(result.out.find("1 check, 0 failing, 1 degraded\n") != std::string::npos);
    const nlohmann::json report = read_report_json(app.path("report.json"));
    CHECK(report["checks"][0]["ok"] == true);
    CHECK(report["checks"][0]["degraded"] == true);
    CHECK(report["checks"][0]["degraded_reason"] == "response time 950ms over degraded_response_time 800ms");
  }
  SUBCASE("run: no incident is opened") {
    const AppHarness::Result result = app.run_config({"--report", "report.json"});
    CHECK(result.exit_code == 0);
    CHECK(app.open_incidents().empty());
    const nlohmann::json report = read_report_json(app.path("report.json"));
    CHECK(report["actions"].empty());
    CHECK(report["checks"][0]["degraded"] == true);
  }
}

TEST_CASE("summary: a degraded check is marked, with its reason, and counted in the heading") {
  auto config = pw::load_config(
      "checks:\n  - name: API\n    url: " + k_degraded_url + "\n    expect: { degraded_response_time: 800ms }\n",
      "probewatch.yml", {});
  REQUIRE(config.has_value());
  pw::CheckResult result;
  result.id = "api";
  result.ok = true;
  result.attempts = 1;
  result.evidence.status = 200;
  result.evidence.response_time = 950ms;
  result.degraded = true;
  result.degraded_reason = "response time 950ms over degraded_response_time 800ms";
  pw::RunReport report;
  report.config = &*config;
  report.results = {result};
  const std::string summary = pw::job_summary(report);
  CHECK(summary.starts_with("## probewatch: 0 of 1 checks failing, 1 degraded\n\n"));
  CHECK(summary.find("| ⚠️ | API | 200 | 950ms |  | `response time 950ms over degraded_response_time 800ms` |\n") !=
        std::string::npos);
}
