// Deploy verification (--wait, wait_for) and the runner network guard, in process.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;
using pw::test::ScriptedProber;

namespace {

constexpr const char* k_url = "http://app.test/version";

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace

TEST_CASE("wait: polls until the new version is served and reports how long the rollout took") {
  AppHarness h;
  h.env["GITHUB_SHA"] = "def456";
  h.write_config(
      std::string("checks:\n  - name: App\n    url: ") + k_url +
      "\n    retries: 0\n    expect: { json: { /version: ${GITHUB_SHA} } }\n    wait_for: { timeout: 10m, interval: 30s }\n");
  std::vector<pw::Evidence> answers(4, ScriptedProber::json(k_url, R"({"version":"abc123"})"));
  answers.push_back(ScriptedProber::json(k_url, R"({"version":"def456"})"));
  h.prober.set_sequence(k_url, answers);
  const auto result = h.run({"check", "--config", "probewatch.yml", "--report", "report.json", "--no-progress"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("App: the rollout took 2m (4 polls)") != std::string::npos);
  const auto wait = read_json(h.path("report.json"))["checks"][0]["wait"];
  CHECK(wait["passed"] == true);
  CHECK(wait["waited_ms"] == 120000);
  CHECK(wait["polls"] == 4);
  CHECK(h.clock.sleeps() == std::vector<std::chrono::milliseconds>(4, 30s));
}

TEST_CASE("wait: on a timeout the report names the expectation and the stale value served") {
  AppHarness h;
  h.write_config(std::string("checks:\n  - name: App\n    url: ") + k_url +
                 "\n    retries: 0\n    expect: { json: { /version: def456 } }\n");
  h.prober.set_sequence(k_url, {ScriptedProber::json(k_url, R"({"version":"abc123"})")});
  const auto result =
      h.run({"check", "--config", "probewatch.yml", "--wait", "5m", "--report", "report.json", "--no-progress"});
  CHECK(result.exit_code == 1);
  INFO(result.out);
  CHECK(
      result.out.find("App: still failing after waiting 5m (30 polls): /version is \"abc123\", expected \"def456\"") !=
      std::string::npos);
  const auto wait = read_json(h.path("report.json"))["checks"][0]["wait"];
  CHECK(wait["passed"] == false);
  CHECK(wait["last"] == "/version is \"abc123\", expected \"def456\"");
  CHECK(result.err.empty());
}

TEST_CASE("wait: a bad --wait is a usage error") {
  AppHarness h;
  h.write_config(std::string("checks:\n  - name: App\n    url: ") + k_url + "\n");
  const auto result = h.run({"check", "--config", "probewatch.yml", "--wait", "soon"});
  CHECK(result.exit_code == 2);
  CHECK(result.err == "probewatch: --wait: invalid duration \"soon\"; write it like 250ms, 10s, 5m or 1h\n");
}

TEST_CASE("network guard: when every check and the control fail at the network level, nothing is filed") {
  AppHarness h;
  h.write_config(
      "control: http://control.test/\ndefaults: { retries: 0 }\nchecks:\n  - name: A\n    url: http://a.test/\n"
      "  - name: B\n    url: http://b.test/\n");
  // No scripted answers: every URL, the control too, is refused.
  const auto result = h.run_config({"--report", "report.json"});
  CHECK(result.exit_code == 4);
  CHECK(result.err.find("the runner's own network looks down") != std::string::npos);
  CHECK(h.github.requests().empty());
  CHECK(read_json(h.path("report.json"))["network_down"] == true);

  SUBCASE("a control that answers means the services are down: issues are filed") {
    h.prober.set_status("http://control.test/", 200);
    CHECK(h.run_config().exit_code == 1);
    CHECK(h.open_incidents().size() == 2);
  }
}

TEST_CASE("wait: the README's deploy check shows the GITHUB_SHA it waits for, not ***") {
  // README "Deploy verification": json: { /version: "${GITHUB_SHA}" }; GITHUB_SHA is public.
  AppHarness h;
  h.env["GITHUB_SHA"] = "def456";
  h.write_config(std::string("checks:\n  - name: App\n    url: ") + k_url +
                 "\n    retries: 0\n    expect: { json: { /version: \"${GITHUB_SHA}\" } }\n");
  h.prober.set_sequence(k_url, {ScriptedProber::json(k_url, R"({"version":"abc123"})")});
  const auto result = h.run_config({"--wait", "5m", "--report", "report.json", "--no-progress"});
  CHECK(result.exit_code == 1);
  INFO(result.out << result.err);
  CHECK(
      result.out.find("App: still failing after waiting 5m (30 polls): /version is \"abc123\", expected \"def456\"") !=
      std::string::npos);
  const auto report = read_json(h.path("report.json"));
  CHECK(report["checks"][0]["failed_expectations"] ==
        nlohmann::json::array({"/version is \"abc123\", expected \"def456\""}));
  const auto incidents = h.open_incidents();
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].body.value_or("").find("expected \"def456\"") != std::string::npos);
}
