// probewatch status-page through the command line and the action input, in process against the
// fake GitHub: what it reads, what it writes, what it says.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using pw::test::AppHarness;

namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Site : AppHarness {
  Site() {
    write_config(
        "defaults: { retries: 0 }\nchecks:\n  - id: api\n    name: API\n    url: http://api.test/health\n"
        "  - id: web\n    name: Web\n    url: http://web.test/\n");
    prober.set_status("http://api.test/health", 200);
    prober.set_status("http://web.test/", 503);
  }
};

}  // namespace

TEST_CASE("status-page: one list request, index.html and status.json from the dashboard and incidents") {
  Site s;
  REQUIRE(s.run_config().exit_code == 1);
  REQUIRE(s.open_incidents().size() == 1);
  const int incident = s.open_incidents()[0].number;
  s.github.clear_requests();
  const auto result = s.run({"status-page", "--out", "site", "--config", "probewatch.yml"});
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(result.out == "wrote site/index.html and site/status.json: 2 checks, 1 incidents\n");
  CHECK(s.github.requests().size() == 1);
  CHECK(s.github.count_requests("GET", "list_issues") == 1);
  const std::string html = slurp(s.path("site/index.html"));
  CHECK(html.find("<section class=\"check\" data-check=\"api\" data-state=\"up\"") != std::string::npos);
  CHECK(html.find("<section class=\"check\" data-check=\"web\" data-state=\"down\"") != std::string::npos);
  CHECK(html.find("<a href=\"https://github.com/octo/app/issues/" + std::to_string(incident) + "\">incident #" +
                  std::to_string(incident) + "</a>") != std::string::npos);
  const auto status = nlohmann::json::parse(slurp(s.path("site/status.json")));
  CHECK(status["checks"].size() == 2);
  CHECK(status["incidents"][0]["number"] == incident);
}

TEST_CASE("status-page: without a dashboard it says so and still writes the page") {
  Site s;
  const auto result = s.run({"status-page", "--out", "site", "--config", "probewatch.yml"});
  CHECK(result.exit_code == 0);
  CHECK(
      result.err ==
      "probewatch: warning: no dashboard labeled \"probewatch\" in octo/app on GitHub for config probewatch.yml; the page "
      "shows no history until `probewatch run` has made one\n");
  CHECK(slurp(s.path("site/index.html")).find("data-check=\"web\"") != std::string::npos);
}

TEST_CASE("status-page: usage and tracker errors") {
  Site s;
  const auto missing = s.run({"status-page"});
  CHECK(missing.exit_code == 2);
  CHECK((missing.out + missing.err).find("--out is required") != std::string::npos);
  s.github.inject({.fault = pw::test::FaultKind::http_500, .operation = "list_issues", .times = 0});
  const auto failed = s.run({"status-page", "--out", "site", "--config", "probewatch.yml"});
  CHECK(failed.exit_code == 3);
  CHECK(failed.err.starts_with(
      "probewatch: could not list the open issues labeled \"probewatch\" in octo/app on GitHub: "));
  CHECK_FALSE(std::filesystem::exists(s.path("site/index.html")));
}

TEST_CASE("action: input status-page writes the page after the run and names it in the outputs") {
  Site s;
  s.env["INPUT_CONFIG"] = "probewatch.yml";
  s.env["INPUT_STATUS-PAGE"] = "public";
  s.env["INPUT_FAIL-ON"] = "never";
  s.env["GITHUB_OUTPUT"] = s.path("outputs.txt").string();
  const auto result = s.run({"action"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("wrote public/index.html and public/status.json: 2 checks, 1 incidents\n") !=
        std::string::npos);
  const std::string html = slurp(s.path("public/index.html"));
  CHECK(html.find("data-check=\"web\" data-state=\"down\"") != std::string::npos);
  CHECK(slurp(s.path("outputs.txt")).find("status-page<<") != std::string::npos);
  CHECK(slurp(s.path("outputs.txt")).find("\npublic\n") != std::string::npos);
}
