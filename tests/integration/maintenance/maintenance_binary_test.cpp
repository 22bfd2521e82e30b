// integration.maintenance_binary: maintenance windows and maintenance issues through the real
// executable, its real clock and the real tz database, against a fake GitHub on loopback and a
// local service whose /health fails.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::BinarySandbox;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

struct Maintenance : BinarySandbox {
  pw::test::HttpEndpoint endpoint{[](const httplib::Request&, httplib::Response& response) {
    response.status = 503;
    response.set_content("down", "text/plain");
  }};

  Maintenance() : BinarySandbox(k_binaries) {}

  void configure(const std::string& maintenance) {
    write_file("probewatch.yml", fmt::format("defaults: {{ timeout: 5s, retries: 0 }}\n"
                                             "checks:\n  - id: api-health\n    url: {}\n{}",
                                             endpoint.url("/health"), maintenance));
  }

  json step() {
    github.clear_requests();
    const pw::test::ProcessResult result = run({"run", "--config", "probewatch.yml", "--report", "report.json"});
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 1);  // the check fails, in maintenance or not
    out = result.out;
    const json report = json::parse(read_file("report.json"), nullptr, false);
    REQUIRE(report.is_object());
    return report;
  }

  std::string out;
};

std::string iso(github::TimePoint time) { return github::format_iso8601(time); }

}  // namespace

TEST_CASE("maintenance: a window covering now keeps a failing check from opening; one that ended lets it open") {
  Maintenance m;
  const auto now = std::chrono::system_clock::now();
  m.configure(
      fmt::format("maintenance:\n  - name: Database upgrade\n    checks: [api-health]\n"
                  "    start: {}\n    end: {}\n",
                  iso(now - 1h), iso(now + 1h)));
  json report = m.step();
  CHECK(m.incidents("api-health").empty());
  REQUIRE(report.at("maintenance").size() == 1);
  CHECK(report["maintenance"][0].at("check") == "api-health");
  CHECK(report["maintenance"][0].at("by") == "Database upgrade");
  CHECK(report["maintenance"][0].at("until") == iso(std::chrono::floor<std::chrono::seconds>(now + 1h)));
  CHECK(report.at("actions").empty());
  CHECK(m.out.find("in maintenance (a failure opens no incident and sends no reminder):\n  api-health  Database "
                   "upgrade, until ") != std::string::npos);
  const auto dashboards = m.open_dashboards();
  REQUIRE(dashboards.size() == 1);
  CHECK(dashboards[0].body.value_or("").find("| 🔧 | api-health | in maintenance (Database upgrade, until ") !=
        std::string::npos);

  m.configure(fmt::format("maintenance:\n  - name: Database upgrade\n    start: {}\n    end: {}\n", iso(now - 2h),
                          iso(now - 1h)));
  report = m.step();
  CHECK(report.at("maintenance").empty());
  CHECK(m.incidents("api-health").size() == 1);
  REQUIRE(report.at("actions").size() == 1);
  CHECK(report["actions"][0].at("kind") == "create");
}

TEST_CASE("maintenance: a weekly window in a named time zone, read from the system's tz database") {
  Maintenance m;
  // Every minute of every day: the window always covers now, whatever Europe/Berlin's offset.
  m.configure("maintenance:\n  - name: Always\n    cron: '* * * * *'\n    duration: 2m\n    timezone: Europe/Berlin\n");
  json report = m.step();
  CHECK(m.incidents("api-health").empty());
  CHECK(report.at("maintenance").size() == 1);

  m.configure("maintenance:\n  - name: Typo\n    cron: '* * * * *'\n    duration: 2m\n    timezone: Europe/Berln\n");
  const pw::test::ProcessResult bad = m.run({"validate", "--config", "probewatch.yml"});
  CHECK(bad.exit_code == 2);
  CHECK(
      bad.err.starts_with("probewatch.yml:9:15: \"timezone\": unknown time zone \"Europe/Berln\" (cannot read "
                          "/usr/share/zoneinfo/Europe/Berln"));
}

TEST_CASE("maintenance: an open maintenance issue pauses the check until it is closed") {
  Maintenance m;
  m.configure("");
  const int pause = m.github.add_issue(BinarySandbox::k_repo, {.title = "Moving the database",
                                                               .body = "Planned.\n\nchecks: api-health\n",
                                                               .labels = {"probewatch", "maintenance"}});
  json report = m.step();
  CHECK(m.incidents("api-health").empty());
  REQUIRE(report.at("maintenance").size() == 1);
  CHECK(report["maintenance"][0].at("by") == fmt::format("#{}", pause));
  CHECK(report["maintenance"][0].at("issue") == pause);
  CHECK(report["maintenance"][0].at("until").is_null());
  CHECK(m.github.count_requests("GET") == 1);  // the maintenance issue came with the one list request

  github::HttpRequest close{"PATCH",
                            fmt::format("{}/repos/{}/issues/{}", m.server.url(), BinarySandbox::k_repo, pause),
                            {{"authorization", std::string("Bearer ") + BinarySandbox::k_token}},
                            R"({"state":"closed"})"};
  REQUIRE(m.github.handle(close).status == 200);
  report = m.step();
  CHECK(report.at("maintenance").empty());
  CHECK(m.incidents("api-health").size() == 1);
}
