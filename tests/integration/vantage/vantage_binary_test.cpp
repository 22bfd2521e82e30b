// integration.vantage_binary: the matrix-plus-fan-in flow of vantage points through the real
// executable: each vantage job runs `check --vantage NAME --report FILE`, the fan-in job runs
// `run --reports DIR --quorum N` once against a fake GitHub on loopback. The vantages differ by the
// port they probe (a healthy and a failing local service), as jobs inside and outside a private
// network would.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using nlohmann::json;
using pw::test::BinarySandbox;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

struct Vantages : BinarySandbox {
  pw::test::HttpEndpoint healthy{[](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_header("Server", "nginx");
    response.set_content("healthy", "text/plain");
  }};
  // Echoes the secret it was sent, in a header and in the body: the reports must not carry it.
  pw::test::HttpEndpoint failing{[](const httplib::Request& request, httplib::Response& response) {
    response.status = 503;
    response.set_header("Server", "edge-proxy");
    response.set_header("X-Echo", request.get_header_value("Authorization"));
    response.set_content("no healthy upstream for " + request.get_header_value("Authorization"), "text/plain");
  }};
  static constexpr const char* k_api_token = "vantage-canary-3f9a1c2e7b";

  Vantages() : BinarySandbox(k_binaries) {
    write_file("probewatch.yml",
               "public: [SERVICE_PORT]\n"
               "defaults: { timeout: 5s, retries: 0 }\n"
               "vantages:\n"
               "  - { name: office, network: inside }\n"
               "  - { name: gh-eu, network: outside }\n"
               "  - { name: gh-us, network: outside }\n"
               "checks:\n"
               "  - id: api-health\n"
               "    url: http://127.0.0.1:${SERVICE_PORT}/health\n"
               "    headers: { Authorization: \"Bearer ${API_TOKEN}\" }\n");
    std::filesystem::create_directories(path("reports"));
  }

  // One vantage job: probes the service on `port` and writes reports/NAME.json.
  void vantage(const std::string& name, int port) {
    github.clear_requests();
    const pw::test::ProcessResult result = run(
        {"check", "--config", "probewatch.yml", "--vantage", name, "--report", fmt::format("reports/{}.json", name)},
        {{"SERVICE_PORT", std::to_string(port)}, {"API_TOKEN", k_api_token}});
    INFO("vantage " << name << " stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);      // a vantage job never fails: the fan-in run decides
    CHECK(github.requests().empty());  // vantage jobs cost no GitHub requests
  }

  // The fan-in job.
  pw::test::ProcessResult fan_in(std::vector<std::string> extra = {}) {
    github.clear_requests();
    std::vector<std::string> args{"run",      "--config", "probewatch.yml", "--reports",  "reports",
                                  "--quorum", "2",        "--report",       "report.json"};
    args.insert(args.end(), extra.begin(), extra.end());
    pw::test::ProcessResult result = run(args, {{"SERVICE_PORT", "1"}, {"API_TOKEN", k_api_token}});
    CHECK_FALSE(result.timed_out);
    return result;
  }

  json report() const {
    json parsed = json::parse(read_file("report.json"), nullptr, false);
    REQUIRE(parsed.is_object());
    return parsed;
  }
};

}  // namespace

TEST_CASE("vantage: two failing outside vantages and one passing inside open one incident with the table and hint") {
  Vantages v;
  v.vantage("office", v.healthy.port());
  v.vantage("gh-eu", v.failing.port());
  v.vantage("gh-us", v.failing.port());

  const json office = json::parse(v.read_file("reports/office.json"));
  CHECK(office.at("vantage") == "office");
  CHECK(office.at("vantage_network") == "inside");
  CHECK(office.contains("generated_at"));
  CHECK(office.at("checks")[0].at("evidence").at("status") == 200);

  for (const char* name : {"office", "gh-eu", "gh-us"}) {
    const std::string text = v.read_file(fmt::format("reports/{}.json", name));
    CHECK(text.find(Vantages::k_api_token) == std::string::npos);
  }
  const json eu = json::parse(v.read_file("reports/gh-eu.json"));
  CHECK(eu.at("checks")[0].at("evidence").at("body") == "no healthy upstream for Bearer ***");

  pw::test::ProcessResult result = v.fan_in();
  INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find(Vantages::k_api_token) == std::string::npos);
  const auto open = v.incidents("api-health");
  REQUIRE(open.size() == 1);
  const std::string body = open[0].body.value_or("");
  CHECK(body.find(Vantages::k_api_token) == std::string::npos);
  CHECK(body.find("no healthy upstream for Bearer ***") != std::string::npos);
  CHECK(body.find("**Vantage points**: 2 of 3 failing, 1 passing, 0 unknown (quorum 2)") != std::string::npos);
  CHECK(body.find("| Vantage | Network | Result | Status | Time | Resolved to | Server | Hint |") != std::string::npos);
  CHECK(body.find("| office | inside | passing | 200 | ") != std::string::npos);
  CHECK(body.find("| gh-eu | outside | failing: status 503 not in \\[200-399\\] | 503 | ") != std::string::npos);
  CHECK(body.find("| gh-us | outside | failing: ") != std::string::npos);
  CHECK(body.find("| 127.0.0.1 | edge-proxy |") != std::string::npos);
  CHECK(body.find("**Likely cause: reachable from inside the network, not from outside.**") != std::string::npos);
  CHECK(body.find("look at the edge, DNS, firewall or CDN") != std::string::npos);
  const json report = v.report();
  CHECK(report.at("checks")[0].at("ok") == false);
  CHECK(report.at("checks")[0].at("vantages").at("failing") == 2);
  CHECK(report.at("checks")[0].at("hints")[0].at("id") == "vantage-edge");
  // The fan-in run costs what one run costs: list the incidents, open one, and the dashboard.
  CHECK(report.at("api_requests") == v.github.requests().size());

  SUBCASE("one failing vantage alone is shown, not filed; a missing report is unknown and closes nothing") {
    std::filesystem::remove(v.path("reports/gh-us.json"));
    v.vantage("office", v.healthy.port());
    v.vantage("gh-eu", v.failing.port());
    result = v.fan_in();
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("probewatch: vantage gh-us: no report (its job did not run or uploaded none); counted as "
                          "unknown, never as passing\n") != std::string::npos);
    CHECK(result.out.find("no-quorum") != std::string::npos);
    CHECK(result.out.find("api-health: vantages 1 of 3 failing, 1 unknown (quorum 2): gh-eu fails: status 503 not in "
                          "[200-399]; gh-us unknown: no report") != std::string::npos);
    CHECK(v.incidents("api-health").size() == 1);  // no verdict: the incident stays open
    CHECK(v.open_dashboards().at(0).body.value_or("").find(
              "| api-health | failing (no verdict: 1 of 3 vantages failing, 1 unknown) |") != std::string::npos);
    CHECK(v.report().at("actions").empty());
    CHECK(v.report().at("unknown_vantages").size() == 1);

    // Two passing reports make the quorum: the incident closes.
    v.vantage("gh-us", v.healthy.port());
    result = v.fan_in();
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("api-health: vantages 1 of 3 failing, 0 unknown (quorum 2): gh-eu fails") !=
          std::string::npos);
    CHECK(v.incidents("api-health").empty());
    CHECK(v.incidents("api-health", "closed").size() == 1);
    // The dashboard shows the vantage failing alone, though it files nothing.
    const auto dashboards = v.open_dashboards();
    REQUIRE(dashboards.size() == 1);
    CHECK(dashboards[0].body.value_or("").find("| api-health | passing (1 of 3 vantages failing: gh-eu) |") !=
          std::string::npos);
  }

  SUBCASE("a malformed report is a clear error naming the file, and nothing is written") {
    v.write_file("reports/gh-us.json", "{\"version\": 1, \"vantage\": \"gh-us\", \"generated_at\": \"now\"}");
    result = v.fan_in();
    CHECK(result.exit_code == 2);
    CHECK(result.err ==
          "probewatch: reports/gh-us.json: report.generated_at: expected an ISO 8601 time, not "
          "\"now\"\n");
    CHECK(v.github.requests().empty());
  }
}
