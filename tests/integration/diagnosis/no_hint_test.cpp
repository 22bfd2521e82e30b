// integration.diagnosis, the other half: failures (and passes) of the probe fault matrix for which
// no rule may fire, because the evidence points at no cause a hint names.
#include "diagnosis_cases.hpp"
#include "diagnosis_harness.hpp"

#include <support/e2e/http_endpoint.hpp>
#include <support/fault_server.hpp>
#include <support/nginx_fixture.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <httplib.h>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::App;
using pw::test::check_in;
using pw::test::check_of;
using pw::test::config_of;
using pw::test::DiagnosisWorkspace;
using pw::test::FaultServer;
using pw::test::hint_ids;
using pw::test::NginxFixture;

TEST_CASE("diagnosis: no hint for the application's own 404, fingerprint unchanged and no passing sibling") {
  App app;
  const NginxFixture nginx(pw::test::edge_in_front_of(app.port(), "/nonexistent/flag", true));
  DiagnosisWorkspace w;
  const std::string config = config_of(check_of("orders", nginx.extra_url("/api/orders")));
  w.run(config, 0);
  REQUIRE(w.healthy().has_value());
  CHECK(w.healthy()->server == App::k_server);

  app.set_status("/api/orders", 404);
  const json report = w.run(config, 1);
  CHECK(check_in(report, "orders").at("status") == 404);
  CHECK(hint_ids(report, "orders").empty());
  CHECK(w.incident_body("orders").find("Likely cause") == std::string::npos);
}

TEST_CASE("diagnosis: no hint for nginx's 404 when nothing was remembered and nothing else passes") {
  const NginxFixture nginx;
  DiagnosisWorkspace w;
  const json report = w.run(config_of(check_of("missing", nginx.http_url("/missing"))), 1);
  CHECK(check_in(report, "missing").at("status") == 404);
  CHECK(hint_ids(report, "missing").empty());
}

TEST_CASE("diagnosis: no hint for a 500 from the application, even with the fingerprint and a passing sibling") {
  App app;
  const NginxFixture nginx(pw::test::edge_in_front_of(app.port(), "/nonexistent/flag", true));
  DiagnosisWorkspace w;
  const std::string config = config_of(check_of("orders", nginx.extra_url("/api/orders")) +
                                       check_of("health", nginx.extra_url("/api/health")));
  w.run(config, 0);
  app.set_status("/api/orders", 500);
  const json report = w.run(config, 1);
  CHECK(check_in(report, "orders").at("status") == 500);
  CHECK(hint_ids(report, "orders").empty());
  CHECK(hint_ids(report, "health").empty());
}

TEST_CASE("diagnosis: no hint for a wrong value in a 200 JSON response") {
  const pw::test::HttpEndpoint api([](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"status":"degraded"})", "application/json");
  });
  DiagnosisWorkspace w;
  const json report =
      w.run(config_of(check_of("api", api.url("/health"), "    expect: { json: { /status: ok } }\n")), 1);
  CHECK(check_in(report, "api").at("failed_expectations") == json::array({R"(/status is "degraded", expected "ok")"}));
  CHECK(hint_ids(report, "api").empty());
}

TEST_CASE("diagnosis: no hint for a slow answer within the deadline but over max_response_time") {
  const FaultServer server(pw::test::delayed_ok(300ms));
  DiagnosisWorkspace w;
  const json report =
      w.run(config_of(check_of("api", server.url("/health"), "    expect: { max_response_time: 100ms }\n")), 1);
  const json& check = check_in(report, "api");
  CHECK(check.at("error").is_null());
  CHECK(check.at("response_time_ms").get<long>() >= 300);
  CHECK(hint_ids(report, "api").empty());
}

TEST_CASE("diagnosis: no hint for an invalid UTF-8 body") {
  DiagnosisWorkspace w;
  SUBCASE("plain text without the expected words") {
    const FaultServer server(pw::test::respond(200, "ok \xFF\xFE\xC3\x28 end", "text/plain; charset=utf-8"));
    const json report =
        w.run(config_of(check_of("api", server.url("/health"), "    expect: { body_contains: healthy }\n")), 1);
    CHECK(hint_ids(report, "api").empty());
  }
  SUBCASE("announced as JSON where JSON was expected") {
    const FaultServer server(pw::test::respond(200, "{\"status\":\"\xFF\xFE\"}", "application/json"));
    const json report =
        w.run(config_of(check_of("api", server.url("/health"), "    expect: { json: { /status: ok } }\n")), 1);
    CHECK(hint_ids(report, "api").empty());
  }
}

TEST_CASE("diagnosis: no hint for a 50 MiB body that passes") {
  const FaultServer server(pw::test::huge_body(50 * 1024 * 1024));
  DiagnosisWorkspace w;
  const json report = w.run(config_of(check_of("api", server.url("/huge"))), 0);
  CHECK(check_in(report, "api").at("ok") == true);
  CHECK(hint_ids(report, "api").empty());
}

TEST_CASE("diagnosis: no hint when the check's ca_file cannot be used (no handshake took place)") {
  // A missing ca_file is a config error (exit 2, see test_cli_validate); a file without a
  // certificate in it gets as far as the probe.
  const NginxFixture nginx;
  DiagnosisWorkspace w;
  const std::string ca_file = w.path("not-a-ca.pem").string();
  std::ofstream(ca_file) << "not a certificate\n";
  const json report = w.run(config_of(check_of("api", nginx.https_url(NginxFixture::Site::valid, "/health"),
                                               "    ca_file: " + ca_file + "\n")),
                            1);
  const std::string error = check_in(report, "api").at("error");
  CHECK(error == "cannot use ca_file " + ca_file + ": no certificate or crl found");
  CHECK(hint_ids(report, "api").empty());
}
