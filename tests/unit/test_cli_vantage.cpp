// Vantage points in process: `check --vantage` reports (no GitHub request), `run --reports`
// combining them once against the fake GitHub, the action's vantage inputs, and every usage error.
#include <support/app/app_harness.hpp>

#include <bot/action/inputs.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

constexpr const char* k_vantage_url = "http://api.test/health";

const std::string k_vantage_config = std::string(
                                         "defaults: { retries: 0 }\n"
                                         "vantages:\n"
                                         "  - { name: office, network: inside }\n"
                                         "  - { name: gh-eu, network: outside }\n"
                                         "  - { name: gh-us, network: outside }\n"
                                         "checks:\n  - id: api\n    url: ") +
                                     k_vantage_url + "\n";

struct VantageScenario : AppHarness {
  VantageScenario() {
    write_config(k_vantage_config);
    std::filesystem::create_directories(path("reports"));
  }
  // One vantage job seeing `status`.
  void vantage(const std::string& name, int status) {
    prober.set_status(k_vantage_url, status);
    github.clear_requests();
    const Result result = run(
        {"check", "--config", "probewatch.yml", "--vantage", name, "--report", fmt::format("reports/{}.json", name)});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(github.requests().empty());
  }
  Result fan_in(std::vector<std::string> extra = {}) {
    github.clear_requests();
    std::vector<std::string> args{"run", "--config", "probewatch.yml", "--reports", "reports", "--quorum", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  std::string text_of(const std::string& name) {
    std::ifstream in(path(name));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

}  // namespace

TEST_CASE("cli vantage: the fan-in run costs what one ordinary run costs; vantage jobs cost nothing") {
  VantageScenario v;
  v.vantage("office", 200);
  v.vantage("gh-eu", 503);
  v.vantage("gh-us", 503);
  const AppHarness::Result fanned = v.fan_in({"--report", "report.json"});
  INFO(fanned.out << fanned.err);
  CHECK(fanned.exit_code == 1);
  REQUIRE(v.open_incidents().size() == 1);
  const std::size_t fan_in_requests = v.github.requests().size();
  CHECK(nlohmann::json::parse(v.text_of("report.json")).at("api_requests") == fan_in_requests);

  // The same picture next run: one list request, as a quiet ordinary run.
  v.clock.advance(5min);
  v.vantage("office", 200);
  v.vantage("gh-eu", 503);
  v.vantage("gh-us", 503);
  CHECK(v.fan_in().exit_code == 1);
  CHECK(v.github.requests().size() == 1);

  // The same failure probed by one ordinary run, against a fresh fake GitHub.
  AppHarness ordinary;
  ordinary.write_config(k_vantage_config);
  ordinary.prober.set_status(k_vantage_url, 503);
  const AppHarness::Result once = ordinary.run_config();
  CHECK(once.exit_code == 1);
  CHECK(ordinary.open_incidents().size() == 1);
  CHECK(ordinary.github.requests().size() == fan_in_requests);
}

TEST_CASE("cli vantage: stale reports are unknown; recovery needs the quorum of passing reports") {
  VantageScenario v;
  v.vantage("office", 503);
  v.vantage("gh-eu", 503);
  v.vantage("gh-us", 503);
  CHECK(v.fan_in().exit_code == 1);
  REQUIRE(v.open_incidents().size() == 1);

  v.clock.advance(90min);
  v.vantage("office", 200);  // the only fresh report
  AppHarness::Result result = v.fan_in({"--max-report-age", "1h"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("probewatch: vantage gh-eu: stale report from ") != std::string::npos);
  CHECK(result.err.find(", older than the 1h allowed; counted as unknown, never as passing\n") != std::string::npos);
  CHECK(v.open_incidents().size() == 1);  // one pass is no quorum: the incident stays open

  v.vantage("gh-us", 200);
  result = v.fan_in({"--max-report-age", "1h"});
  CHECK(result.exit_code == 0);
  CHECK(v.open_incidents().empty());
}

TEST_CASE("cli vantage: usage errors say what to do") {
  VantageScenario v;
  auto err_of = [&](std::vector<std::string> args) {
    const AppHarness::Result result = v.run(std::move(args));
    CHECK(result.exit_code == 2);
    CHECK(v.github.requests().empty());
    return result.err;
  };
  CHECK(err_of({"check", "--config", "probewatch.yml", "--vantage", "office"}) ==
        "probewatch: --vantage needs --report FILE: the report is what run --reports combines\n");
  CHECK(err_of({"check", "--config", "probewatch.yml", "--vantage", "lab", "--report", "r.json"}) ==
        "probewatch: --vantage lab: not among the config's vantages (office, gh-eu, gh-us); add it under vantages: or "
        "fix the name\n");
  CHECK(err_of({"check", "--config", "probewatch.yml", "--vantage", "a/b", "--report", "r.json"}) ==
        "probewatch: --vantage: a name of 1 to 64 letters, digits, '-', '_' or '.', as in gh-eu or office\n");
  CHECK(err_of({"run", "--config", "probewatch.yml", "--quorum", "2"}) ==
        "probewatch: --quorum is for combining vantage reports; add --reports DIR\n");
  CHECK(err_of({"run", "--config", "probewatch.yml", "--reports", "reports", "--wait", "5m"}) ==
        "probewatch: --wait probes, but --reports combines reports instead of probing; pass --wait to each vantage's "
        "check\n");
  CHECK(err_of({"run", "--config", "probewatch.yml", "--reports", "reports", "--quorum", "4"}) ==
        "probewatch: check api: quorum 4 is more than the 3 vantage(s) there are (office, gh-eu, gh-us); lower the "
        "quorum or declare the missing vantages under vantages:\n");
  CHECK(err_of({"run", "--config", "probewatch.yml", "--reports", "reports", "--max-report-age", "soon"})
            .starts_with("probewatch: --max-report-age: "));
  std::filesystem::remove_all(v.path("reports"));
  CHECK(err_of({"run", "--config", "probewatch.yml", "--reports", "reports"}) ==
        "probewatch: --reports: cannot read folder reports: No such file or directory\n");
  std::filesystem::create_directories(v.path("reports"));
  std::ofstream(v.path("reports/office.json")) << "{\"version\": 1, \"vantage\": \"office\"";
  CHECK(err_of({"run", "--config", "probewatch.yml", "--reports", "reports"}) ==
        "probewatch: reports/office.json: not a JSON report (byte 35): write it with probewatch check --vantage NAME "
        "--report FILE\n");
}

TEST_CASE("cli vantage: without declared vantages, any name reports and the reports found vote") {
  AppHarness h;
  h.write_config(std::string("defaults: { retries: 0 }\nchecks:\n  - id: api\n    url: ") + k_vantage_url + "\n");
  h.prober.set_status(k_vantage_url, 503);
  CHECK(h.run({"check", "--config", "probewatch.yml", "--vantage", "laptop", "--report", "reports/a.json"}).exit_code ==
        0);
  CHECK(h.run({"check", "--config", "probewatch.yml", "--vantage", "ci", "--report", "reports/b.json"}).exit_code == 0);
  const AppHarness::Result result =
      h.run({"run", "--config", "probewatch.yml", "--reports", "reports", "--quorum", "2"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(h.open_incidents().size() == 1);
  std::filesystem::create_directories(h.path("empty"));
  CHECK(h.run({"run", "--config", "probewatch.yml", "--reports", "empty"}).err ==
        "probewatch: --reports empty: no *.json vantage reports in it, and the config declares no vantages; download "
        "the artifacts with merge-multiple: true so the reports land in the folder itself\n");
}

TEST_CASE("cli vantage: the action's vantage and reports inputs") {
  VantageScenario v;
  v.env["INPUT_CONFIG"] = "probewatch.yml";
  v.env.erase("GITHUB_TOKEN");  // a vantage job needs no token
  for (const char* name : {"office", "gh-eu", "gh-us"}) {
    v.prober.set_status(k_vantage_url, std::string(name) == "office" ? 200 : 503);
    v.env["INPUT_VANTAGE"] = name;
    v.env["INPUT_REPORT-PATH"] = std::string("reports/") + name + ".json";
    const AppHarness::Result result = v.run({"action"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
  }
  CHECK(v.github.requests().empty());
  v.env.erase("INPUT_VANTAGE");
  v.env["GITHUB_TOKEN"] = AppHarness::k_token;
  v.env["INPUT_REPORTS"] = "reports";
  v.env["INPUT_QUORUM"] = "2";
  v.env["INPUT_REPORT-PATH"] = "report.json";
  v.env["GITHUB_STEP_SUMMARY"] = v.path("summary.md").string();
  const AppHarness::Result result = v.run({"action"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(v.open_incidents().size() == 1);
  const std::string summary = v.text_of("summary.md");
  CHECK(summary.find("### Vantage points\n\n- **api**: 2 of 3 vantages failing, 0 unknown (quorum 2): gh-eu fails: "
                     "status 503 not in \\[200-399\\]; gh-us fails: status 503 not in \\[200-399\\]\n") !=
        std::string::npos);
}

TEST_CASE("action: vantage inputs are checked") {
  CHECK(pw::read_action_inputs({{"INPUT_VANTAGE", "a"}, {"INPUT_REPORTS", "r"}}).error().message ==
        "inputs vantage and reports do not go together: a vantage job writes its report, the fan-in job reads them "
        "all");
  CHECK(pw::read_action_inputs({{"INPUT_REPORTS", "r"}, {"INPUT_WATCH", "1h"}}).error().message ==
        "inputs reports and watch do not go together: vantage reports are one run each");
  CHECK(pw::read_action_inputs({{"INPUT_QUORUM", "2"}}).error().message ==
        "input quorum is for the fan-in job: set reports to the folder of vantage reports");
  CHECK(pw::read_action_inputs({{"INPUT_REPORTS", "r"}, {"INPUT_QUORUM", "two"}}).error().message ==
        "input quorum must be a whole number from 1, not \"two\"");
  CHECK(pw::read_action_inputs({{"INPUT_REPORTS", "r"}, {"INPUT_QUORUM", "0"}}).error().message ==
        "input quorum must be a whole number from 1, not \"0\"");
  const auto inputs =
      pw::read_action_inputs({{"INPUT_REPORTS", "r"}, {"INPUT_QUORUM", "3"}, {"INPUT_MAX-REPORT-AGE", "30m"}});
  REQUIRE(inputs.has_value());
  CHECK(inputs->reports == "r");
  CHECK(inputs->quorum == 3);
  CHECK(inputs->max_report_age == "30m");
}
