// How a deploying check and the run's deployment show in the console, the job summary, the
// annotations and the report JSON.
#include <bot/action/annotations.hpp>
#include <bot/action/summary.hpp>
#include <bot/config/load.hpp>
#include <bot/report/console.hpp>
#include <bot/report/report.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace std::chrono_literals;

TEST_CASE("report: a deploying check and the run's deployment in every output") {
  auto config = pw::load_config("checks:\n  - { id: api, name: API, url: 'http://a/', version: /version }\n",
                                "probewatch.yml", {});
  REQUIRE(config.has_value());
  pw::CheckResult result;
  result.id = "api";
  result.attempts = 1;
  result.evidence.status = 503;
  result.failed.push_back({"status:503", "status 503 not in [200-399]"});
  result.served_version = "9d8e7f6";
  pw::Deployment deployment;
  deployment.id = 42;
  deployment.state = "in_progress";
  deployment.environment = "production";
  deployment.environment_url = "https://app.example.com";
  deployment.sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";
  deployment.ref = "main";
  deployment.created_at = *github::parse_iso8601("2026-12-02T05:00:00Z");
  deployment.status_at = deployment.created_at + 1min;

  pw::RunReport report;
  report.config = &*config;
  report.results = {result};
  report.deployment = deployment;
  report.generated_at = deployment.created_at + 2min;
  report.deploying["api"] = pw::Pause{"3f2a9c1 (main) to production", deployment.created_at + 5min, 0, true};

  CHECK(pw::deployment_text(deployment, 1, config->secrets) ==
        "deployment 3f2a9c1 (main) to production: in_progress at 2026-12-02 05:01 UTC, begun 2026-12-02 05:00 UTC; "
        "1 check with version: must serve it\n");
  CHECK(pw::results_table(report).find("deploying  API    503     0ms   status 503 not in [200-399]\n") !=
        std::string::npos);
  CHECK(pw::deploying_text(report) ==
        "deploying (a failure within the deploy's grace opens no incident and sends no reminder):\n"
        "  api  3f2a9c1 (main) to production, grace until 2026-12-02 05:05 UTC\n");
  CHECK(pw::job_summary(report).find("| 🚀 | API | 503 |") != std::string::npos);
  CHECK(pw::annotation_commands(report).find(
            "deploying, no incident until the grace ends at 2026-12-02 05:05 UTC: status 503 not in [200-399]") !=
        std::string::npos);

  const nlohmann::json written = nlohmann::json::parse(pw::report_json(report));
  CHECK(written.at("checks")[0].at("served_version") == "9d8e7f6");
  CHECK(written.at("maintenance").empty());
  CHECK(written.at("deployment") ==
        nlohmann::json::parse(R"({"id": 42, "state": "in_progress", "environment": "production",
          "environment_url": "https://app.example.com", "sha": "3f2a9c1d4e5b6a7980112233445566778899aabb",
          "ref": "main", "created_at": "2026-12-02T05:00:00Z"})"));
  CHECK(written.at("deploying") == nlohmann::json::parse(R"([{"check": "api", "by": "3f2a9c1 (main) to production",
          "until": "2026-12-02T05:05:00Z"}])"));

  SUBCASE("a deployment that is not rolling out says so") {
    deployment.state = "failure";
    CHECK(pw::deployment_text(deployment, 0, config->secrets)
              .ends_with("; it is not rolling out, so no check waits for it and failures count as usual\n"));
  }
}
