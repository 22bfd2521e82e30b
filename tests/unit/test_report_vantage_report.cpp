// A vantage report carries enough evidence to rebuild each check's result in the fan-in run,
// redacted when written; a malformed one is one clear line naming the file and the field.
#include <bot/config/load.hpp>
#include <bot/report/report.hpp>
#include <bot/report/vantage_report.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_report_at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 5h;

pw::Config report_config() {
  return pw::load_config(
             "vantages:\n  - { name: office, network: inside }\nchecks:\n"
             "  - id: api\n    url: https://api.test/health?key=${API_KEY}\n"
             "  - id: dns\n    url: dns://api.test\n",
             "t.yml", {{"API_KEY", "k3y-s3cr3t-value"}})
      .value();
}

std::string report_error_of(std::string_view text) {
  auto parsed = pw::parse_vantage_report(text, "reports/x.json");
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("vantage report: written with evidence and read back, every secret redacted") {
  const pw::Config config = report_config();
  pw::RunReport report;
  report.config = &config;
  report.generated_at = k_report_at;
  report.vantage = config.vantages.at(0);

  pw::CheckResult api;
  api.id = "api";
  api.attempts = 3;
  pw::Evidence& evidence = api.evidence;
  evidence.url = "https://api.test/health?key=k3y-s3cr3t-value";
  evidence.addresses = {"203.0.113.7", "2001:db8::7"};
  evidence.connects = {"203.0.113.7: connected"};
  evidence.redirects = {{301, "http://api.test/", "https://api.test/health?key=k3y-s3cr3t-value"}};
  evidence.status = 503;
  evidence.response_time = pw::Millis(41);
  evidence.headers = {{"server", "cloudflare"}, {"via", "1.1 edge"}, {"x-echo", "k3y-s3cr3t-value"}};
  evidence.body = std::string("upstream said k3y-s3cr3t-value ").append(3000, 'x');
  pw::TlsEvidence tls;
  tls.version = "TLSv1.3";
  tls.leaf = pw::CertificateInfo{"CN=api.test", "CN=Test CA", {"api.test"}, k_report_at - 24h, k_report_at + 240h};
  evidence.tls = tls;
  api.failed = {{"status:503", "status 503 not in [200-399]"}};
  pw::CheckResult dns;
  dns.id = "dns";
  dns.ok = true;
  dns.attempts = 1;
  dns.evidence.dns = pw::DnsEvidence{"127.0.0.1:53", "A", "NOERROR", {{"A", "203.0.113.7", 300}}};
  pw::CheckResult refused;
  report.results = {api, dns};
  report.hints["api"] = {{"edge-5xx", "the edge answers, the origin does not", "detail", "server: cloudflare"}};

  const std::string text = pw::report_json(report);
  CHECK(text.find("k3y-s3cr3t-value") == std::string::npos);
  auto parsed = pw::parse_vantage_report(text, "reports/office.json");
  REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
  CHECK(parsed->file == "reports/office.json");
  CHECK(parsed->vantage == "office");
  CHECK(parsed->network == pw::VantageNetwork::inside);
  CHECK(parsed->generated_at == k_report_at);
  CHECK(parsed->hints.at("api") == "the edge answers, the origin does not");
  REQUIRE(parsed->results.size() == 2);
  const pw::CheckResult& back = parsed->results.at("api");
  CHECK_FALSE(back.ok);
  CHECK(back.attempts == 3);
  CHECK(back.evidence.url == "https://api.test/health?key=***");
  CHECK(back.evidence.addresses == evidence.addresses);
  CHECK(back.evidence.connects == evidence.connects);
  REQUIRE(back.evidence.redirects.size() == 1);
  CHECK(back.evidence.redirects[0].location == "https://api.test/health?key=***");
  CHECK(*back.evidence.status == 503);
  CHECK(back.evidence.response_time == pw::Millis(41));
  CHECK(*back.evidence.header("server") == "cloudflare");
  CHECK(*back.evidence.header("via") == "1.1 edge");
  CHECK(*back.evidence.header("x-echo") == "***");
  CHECK(back.evidence.body.starts_with("upstream said *** xxx"));
  CHECK(back.evidence.body.size() == 2048);
  CHECK(back.evidence.body_truncated);
  CHECK(back.evidence.failure == pw::TransportFailure::none);
  REQUIRE(back.evidence.tls.has_value());
  CHECK(back.evidence.tls->version == "TLSv1.3");
  CHECK(back.evidence.tls->leaf->names == std::vector<std::string>{"api.test"});
  CHECK(back.evidence.tls->leaf->not_after == k_report_at + 240h);
  REQUIRE(back.failed.size() == 1);
  CHECK(back.failed[0].key == "status:503");
  CHECK(back.failed[0].message == "status 503 not in [200-399]");
  const pw::CheckResult& dns_back = parsed->results.at("dns");
  CHECK(dns_back.ok);
  REQUIRE(dns_back.evidence.dns.has_value());
  CHECK(dns_back.evidence.dns->rcode == "NOERROR");
  CHECK(dns_back.evidence.dns->answers.at(0).value == "203.0.113.7");
  CHECK(dns_back.evidence.dns->answers.at(0).ttl == 300);
}

TEST_CASE("vantage report: a transport failure survives the round trip") {
  const pw::Config config = report_config();
  pw::RunReport report;
  report.config = &config;
  report.generated_at = k_report_at;
  report.vantage = pw::VantageDeclaration{"gh-eu", pw::VantageNetwork::unspecified};
  pw::CheckResult api;
  api.id = "api";
  api.attempts = 1;
  api.evidence.failure = pw::TransportFailure::timeout;
  api.evidence.failure_phase = pw::Phase::headers;
  api.evidence.error = "no response headers within 10s";
  report.results = {api};
  const std::string text = pw::report_json(report);
  CHECK(text.find("\"vantage_network\": null") != std::string::npos);
  auto parsed = pw::parse_vantage_report(text, "r.json");
  REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
  CHECK(parsed->network == pw::VantageNetwork::unspecified);
  const pw::Evidence& back = parsed->results.at("api").evidence;
  CHECK(back.failure == pw::TransportFailure::timeout);
  CHECK(back.failure_phase == pw::Phase::headers);
  CHECK(back.error == "no response headers within 10s");
  CHECK_FALSE(back.status.has_value());
}

TEST_CASE("vantage report: without --vantage the report carries no evidence") {
  const pw::Config config = report_config();
  pw::RunReport report;
  report.config = &config;
  pw::CheckResult api;
  api.id = "api";
  report.results = {api};
  const std::string text = pw::report_json(report);
  CHECK(text.find("\"evidence\"") == std::string::npos);
  CHECK(text.find("\"vantage\"") == std::string::npos);
  CHECK(report_error_of(text) ==
        "reports/x.json: no \"vantage\" field: it is not a vantage report; write it with "
        "probewatch check --vantage NAME --report FILE");
}

TEST_CASE("vantage report: a malformed report is one line naming the file and the field") {
  const std::string head = R"({"version": 1, "vantage": "gh-eu", "generated_at": "2026-12-02T05:00:00Z", )";
  CHECK(report_error_of("{\"version\": 1,") ==
        "reports/x.json: not a JSON report (byte 15): write it with probewatch check --vantage NAME --report FILE");
  CHECK(report_error_of("[1, 2]") == "reports/x.json: not a probewatch report (expected a JSON object)");
  CHECK(report_error_of(R"({"version": 2, "vantage": "a"})") ==
        "reports/x.json: report version 2 is not supported (this probewatch reads version 1)");
  CHECK(report_error_of(R"({"vantage": "a"})") == "reports/x.json: report: missing \"version\"");
  CHECK(report_error_of(R"({"version": 1, "vantage": "a", "checks": []})") ==
        "reports/x.json: report: missing \"generated_at\"");
  CHECK(report_error_of(R"({"version": 1, "vantage": 7, "generated_at": "2026-12-02T05:00:00Z", "checks": []})") ==
        "reports/x.json: report.vantage: expected a string");
  CHECK(report_error_of(
            R"({"version": 1, "vantage": "a", "vantage_network": "dmz", "generated_at": "2026-12-02T05:00:00Z",
                     "checks": []})") ==
        "reports/x.json: report.vantage_network: expected inside or outside, not \"dmz\"");
  CHECK(report_error_of(head + R"("checks": {}})") == "reports/x.json: report.checks: expected a list");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": false}]})") ==
        "reports/x.json: checks[0]: no \"evidence\": write vantage reports with probewatch check --vantage NAME");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": "no", "evidence": {}}]})") ==
        "reports/x.json: checks[0].ok: expected true or false");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": false, "evidence": {"status": "503"}}]})") ==
        "reports/x.json: checks[0].evidence.status: expected a whole number");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": false, "evidence": {"failure": "gremlins"}}]})") ==
        "reports/x.json: checks[0].evidence.failure: unknown failure kind \"gremlins\"");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": false, "evidence": {"headers": [["server"]]}}]})") ==
        "reports/x.json: checks[0].evidence.headers[0]: expected [name, value]");
  CHECK(report_error_of(head + R"("checks": [{"id": "api", "ok": true, "evidence": {}},
                                      {"id": "api", "ok": true, "evidence": {}}]})") ==
        "reports/x.json: checks[1]: check \"api\" appears twice");
}

TEST_CASE("config: vantages and quorum") {
  auto loaded = pw::load_config(
      "vantages:\n  - { name: office, network: inside }\n  - name: gh-eu\n"
      "defaults: { quorum: 2 }\n"
      "checks:\n  - { id: api, url: https://api.test/, quorum: 1 }\n"
      "  - { id: web, url: https://api.test/ }\n",
      "t.yml", {});
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
  REQUIRE(loaded->vantages.size() == 2);
  CHECK(loaded->vantages[0].network == pw::VantageNetwork::inside);
  CHECK(loaded->vantages[1].name == "gh-eu");
  CHECK(loaded->vantages[1].network == pw::VantageNetwork::unspecified);
  CHECK(loaded->checks[0].quorum == 1);
  CHECK(loaded->checks[1].quorum == 2);

  auto errors = [](const std::string& vantages) {
    auto bad = pw::load_config(vantages + "checks:\n  - { id: api, url: https://api.test/ }\n", "t.yml", {});
    REQUIRE_FALSE(bad.has_value());
    return bad.error().message;
  };
  CHECK(errors("vantages:\n  - { name: office, network: dmz }\n") ==
        "t.yml:2:30: vantage \"office\": \"network\" is inside or outside, not \"dmz\"");
  CHECK(errors("vantages:\n  - { name: a }\n  - { name: a }\n") ==
        "t.yml:3:5: vantage \"a\" is declared twice; give each vantage its own name");
  CHECK(errors("vantages:\n  - { name: \"a b\" }\n") ==
        "t.yml:2:5: vantages[0] needs a name of 1 to 64 letters, digits, '-', '_' or '.', the one its job passes to "
        "check --vantage");
  CHECK(errors("vantages: office\n") ==
        "t.yml:1:11: \"vantages\" must be a list, as in [{ name: office, network: "
        "inside }]");
}
