// The small things a new user trips over, each with its message asserted.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <github_client/iso8601.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using pw::test::AppHarness;

TEST_CASE("messages: --config given twice names both files") {
  AppHarness app;
  const auto result = app.run({"run", "--config", "a.yml", "--config", "b.yml"});
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "probewatch: --config was given 2 times (a.yml, b.yml); pass one config file (a run reads one "
        "config; use several runs or `repo:` per check)\n");
}

TEST_CASE("messages: --close-stale with an unknown unit says which unit") {
  AppHarness app;
  const auto result = app.run({"triage", "--close-stale", "2w"});
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "probewatch: --close-stale: duration \"2w\" has an unknown unit \"w\": use ms, s, m, h or d, as "
        "in 250ms, 10s, 5m, 1h or 14d\n");
}

TEST_CASE("messages: triage finds a non-default label through the default config") {
  AppHarness app;
  std::filesystem::create_directories(app.path(".github"));
  std::ofstream(app.path(".github/probewatch.yml"))
      << "defaults: { retries: 0 }\nissues: { labels: [ops-alerts] }\nchecks:\n  - name: API\n    url: "
         "http://api.test/\n";
  app.prober.set_status("http://api.test/", 500);
  REQUIRE(app.run({"run", "--no-progress"}).exit_code == 1);
  const int number = app.open_incidents().at(0).number;
  const auto listed = app.run({"triage"});
  CHECK(listed.exit_code == 0);
  std::string shown = "#";
  shown += std::to_string(number);
  CHECK(listed.out.find(shown) != std::string::npos);
  CHECK(listed.out.find("api") != std::string::npos);

  std::filesystem::remove(app.path(".github/probewatch.yml"));
  const auto without = app.run({"triage"});
  CHECK(without.out == "no open incidents labeled \"probewatch\" in octo/app on GitHub\n");
}

TEST_CASE("messages: the report says when the run was") {
  AppHarness app;
  app.write_config("checks:\n  - name: API\n    url: http://api.test/\n");
  app.prober.set_status("http://api.test/", 200);
  REQUIRE(app.run({"check", "--config", "probewatch.yml", "--report", "report.json", "--no-progress"}).exit_code == 0);
  std::ifstream in(app.path("report.json"));
  std::stringstream text;
  text << in.rdbuf();
  CHECK(nlohmann::json::parse(text.str())["generated_at"] == github::format_iso8601(app.clock.now()));
}
