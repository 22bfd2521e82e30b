// integration.diagnosis: one end-to-end case per hint. The real probewatch binary runs against real
// servers on loopback (nginx with TLS and as an edge in front of an application, in-process fault
// servers), and each case asserts that the report names exactly its own hint and no other.
#include "diagnosis_cases.hpp"
#include "diagnosis_harness.hpp"

#include <support/e2e/http_endpoint.hpp>
#include <support/fault_server.hpp>
#include <support/nginx_fixture.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <fstream>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::App;
using pw::test::check_of;
using pw::test::config_of;
using pw::test::DiagnosisWorkspace;
using pw::test::FaultServer;
using pw::test::first_hint;
using pw::test::hint_ids;
using pw::test::k_timeout_case;
using pw::test::NginxFixture;
using Ids = std::vector<std::string>;
using Site = NginxFixture::Site;

namespace {

std::string evidence_of(const json& report, const std::string& check) {
  return first_hint(report, check).at("evidence").get<std::string>();
}

std::string loopback(int port) { return fmt::format("127.0.0.1:{}", port); }

}  // namespace

TEST_CASE("diagnosis: dns, for a name that does not resolve") {
  DiagnosisWorkspace w;
  const json report = w.run(config_of(check_of("api", "http://probewatch-diagnosis.invalid/health")), 1);
  CHECK(hint_ids(report, "api") == Ids{"dns"});
  CHECK(evidence_of(report, "api").starts_with("DNS lookup for probewatch-diagnosis.invalid failed"));
}

TEST_CASE("diagnosis: refused, for a closed port") {
  const pw::test::RefusedPort port;
  DiagnosisWorkspace w;
  const json report = w.run(config_of(check_of("api", fmt::format("http://{}/health", loopback(port.port())))), 1);
  CHECK(hint_ids(report, "api") == Ids{"refused"});
  CHECK(evidence_of(report, "api") ==
        fmt::format("connection refused by {} (nothing is listening)", loopback(port.port())));
}

TEST_CASE("diagnosis: tls-expired, tls-hostname, tls-unknown-ca and tls-handshake against nginx") {
  const NginxFixture nginx;
  DiagnosisWorkspace w;
  const std::string ca = fmt::format("    ca_file: {}\n", nginx.ca_file());
  SUBCASE("an expired certificate") {
    const json report = w.run(config_of(check_of("api", nginx.https_url(Site::expired, "/health"), ca)), 1);
    CHECK(hint_ids(report, "api") == Ids{"tls-expired"});
    CHECK(evidence_of(report, "api") ==
          "TLS certificate for localhost, 127.0.0.1 expired on 2025-02-01 (not after 2025-02-01T00:00:00Z)");
  }
  SUBCASE("a certificate for another host") {
    const json report = w.run(config_of(check_of("api", nginx.https_url(Site::wrong_host, "/health"), ca)), 1);
    CHECK(hint_ids(report, "api") == Ids{"tls-hostname"});
    CHECK(evidence_of(report, "api") ==
          "TLS certificate is for wrong.example.test, www.wrong.example.test, not localhost");
  }
  SUBCASE("a valid certificate from a CA the check does not trust (no ca_file)") {
    const json report = w.run(config_of(check_of("api", nginx.https_url(Site::valid, "/health"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"tls-unknown-ca"});
    CHECK(evidence_of(report, "api") ==
          "TLS certificate is issued by unknown CA CN=probewatch test CA; set ca_file to trust a private CA");
  }
  SUBCASE("https to nginx's plain-HTTP port") {
    const std::string url = fmt::format("https://{}/health", loopback(nginx.http_port()));
    const json report = w.run(config_of(check_of("api", url, ca)), 1);
    CHECK(hint_ids(report, "api") == Ids{"tls-handshake"});
    CHECK(evidence_of(report, "api") ==
          fmt::format("TLS handshake with {} failed: wrong version number (is this port serving plain HTTP?)",
                      loopback(nginx.http_port())));
  }
}

TEST_CASE("diagnosis: timeout-connect, timeout-headers and timeout-body") {
  DiagnosisWorkspace w;
  SUBCASE("a listener whose accept queue is full") {
    const pw::test::BlackholePort port;
    const json report =
        w.run(config_of(check_of("api", fmt::format("http://{}/health", loopback(port.port())), k_timeout_case)), 1);
    CHECK(hint_ids(report, "api") == Ids{"timeout-connect"});
    CHECK(evidence_of(report, "api") == "timed out after 2s while connecting");
  }
  SUBCASE("headers that come one byte every 100 ms") {
    const FaultServer server(pw::test::slow_headers(100ms));
    const json report = w.run(config_of(check_of("api", server.url("/health"), k_timeout_case)), 1);
    CHECK(hint_ids(report, "api") == Ids{"timeout-headers"});
    CHECK(evidence_of(report, "api") == "timed out after 2s while waiting for response headers");
  }
  SUBCASE("a body that trickles 10 bytes every 100 ms") {
    const FaultServer server(pw::test::trickling_body(10000, 10, 100ms));
    const json report = w.run(config_of(check_of("api", server.url("/health"), k_timeout_case)), 1);
    CHECK(hint_ids(report, "api") == Ids{"timeout-body"});
    CHECK(evidence_of(report, "api") == "timed out after 2s while reading the body");
  }
}

TEST_CASE("diagnosis: reset, before the headers and mid-body") {
  DiagnosisWorkspace w;
  SUBCASE("before the headers") {
    const FaultServer server(pw::test::reset_before_response());
    const json report = w.run(config_of(check_of("api", server.url("/health"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"reset"});
  }
  SUBCASE("mid-body") {
    const FaultServer server(pw::test::reset_mid_body(100000, 1000));
    const json report = w.run(config_of(check_of("api", server.url("/health"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"reset"});
    CHECK(evidence_of(report, "api") ==
          fmt::format("connection reset or closed by {} while reading the body (after 1000 of 100000 bytes)",
                      loopback(server.port())));
  }
}

TEST_CASE("diagnosis: redirect-loop, for nginx's /loop and for endless new locations") {
  DiagnosisWorkspace w;
  SUBCASE("nginx redirects /loop to itself") {
    const NginxFixture nginx;
    const json report = w.run(config_of(check_of("api", nginx.http_url("/loop"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"redirect-loop"});
    CHECK(evidence_of(report, "api") == fmt::format("redirect loop: {} redirects to {}, which was already visited",
                                                    nginx.http_url("/loop"), nginx.http_url("/loop")));
  }
  SUBCASE("every answer redirects to a new URL") {
    const FaultServer server([](const pw::test::SeenRequest& request) {
      const int n = request.target.starts_with("/r/") ? std::stoi(request.target.substr(3)) : 0;
      return pw::test::respond(302, "", "text/plain", {"Location: /r/" + std::to_string(n + 1)});
    });
    const json report = w.run(config_of(check_of("api", server.url("/r/0"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"redirect-loop"});
  }
}

TEST_CASE("diagnosis: edge-404, nginx's own 404 for one path while the application serves the others") {
  // Run 1 passes, so the dashboard remembers the healthy fingerprint; then nginx answers
  // /api/orders itself. A passing sibling on the same host must not turn it into routing-404.
  App app;
  DiagnosisWorkspace w;
  const std::string flag = w.path("edge-404.flag").string();
  auto config_for = [](const NginxFixture& nginx) {
    return config_of(check_of("orders", nginx.extra_url("/api/orders"), "    expect: { json: { /status: ok } }\n") +
                     check_of("health", nginx.extra_url("/api/health")));
  };

  SUBCASE("the edge passes the application's Server header on: the 404's Server differs") {
    const NginxFixture nginx(pw::test::edge_in_front_of(app.port(), flag, true));
    const std::string config = config_for(nginx);
    const json healthy = w.run(config, 0);
    CHECK(hint_ids(healthy, "orders").empty());
    const auto remembered = w.healthy();
    REQUIRE(remembered.has_value());
    CHECK(remembered->server == App::k_server);
    CHECK(remembered->request_id_header == "x-request-id");

    std::ofstream(flag) << "on\n";
    const json report = w.run(config, 1);
    CHECK(hint_ids(report, "orders") == Ids{"edge-404"});
    CHECK(hint_ids(report, "health").empty());
    const json hint = first_hint(report, "orders");
    CHECK(hint.at("title") == "a 404 the application probably did not send");
    const std::string evidence = hint.at("evidence").get<std::string>();
    CHECK(evidence.starts_with("server: \"nginx"));
    CHECK(evidence.ends_with("(healthy responses: \"app/1.0\")"));

    const std::string body = w.incident_body("orders");
    INFO("issue body:\n" << body);
    CHECK(body.find("**Likely cause: a 404 the application probably did not send.**") != std::string::npos);
    CHECK(body.find("> Evidence: `" + evidence + "`") != std::string::npos);
    // A failing run keeps the healthy fingerprint for the next diagnosis.
    CHECK(w.healthy()->server == App::k_server);
  }

  SUBCASE("the edge sets its own Server header: the 404 lacks the application's request id") {
    const NginxFixture nginx(pw::test::edge_in_front_of(app.port(), flag, false));
    const std::string config = config_for(nginx);
    w.run(config, 0);
    REQUIRE(w.healthy().has_value());
    CHECK(w.healthy()->server.starts_with("nginx"));
    CHECK(w.healthy()->request_id_header == "x-request-id");

    std::ofstream(flag) << "on\n";
    const json report = w.run(config, 1);
    CHECK(hint_ids(report, "orders") == Ids{"edge-404"});
    CHECK(hint_ids(report, "health").empty());
    CHECK(evidence_of(report, "orders") == "no x-request-id header (healthy responses carry one)");
    CHECK(w.incident_body("orders").find("> Evidence: `no x-request-id header (healthy responses carry one)`") !=
          std::string::npos);
  }
}

TEST_CASE("diagnosis: routing-404, the application's own 404 for one path while another passes") {
  App app;
  const NginxFixture nginx(pw::test::edge_in_front_of(app.port(), "/nonexistent/flag", true));
  DiagnosisWorkspace w;
  const std::string config = config_of(check_of("orders", nginx.extra_url("/api/orders")) +
                                       check_of("health", nginx.extra_url("/api/health")));
  w.run(config, 0);
  REQUIRE(w.healthy().has_value());
  CHECK(w.healthy()->server == App::k_server);

  app.set_status("/api/orders", 404);  // same Server header, same request id: the application answered
  const json report = w.run(config, 1);
  CHECK(hint_ids(report, "orders") == Ids{"routing-404"});
  CHECK(hint_ids(report, "health").empty());
  CHECK(evidence_of(report, "orders") ==
        fmt::format("/api/orders 404 while health on {} pass", loopback(nginx.extra_port())));
  CHECK(w.incident_body("orders").find("**Likely cause: this path is not routed while the host is up.**") !=
        std::string::npos);
}

TEST_CASE("diagnosis: upstream, for 502 and 504 from nginx and 503 from an envoy-like edge") {
  DiagnosisWorkspace w;
  SUBCASE("nginx: nothing listens upstream (502), and the upstream answers too late (504)") {
    const pw::test::RefusedPort closed;
    const FaultServer slow(pw::test::delayed_ok(3s));
    const NginxFixture nginx(
        fmt::format("    location = /api/health {{ proxy_pass http://127.0.0.1:{}; }}\n"
                    "    location = /api/slow {{ proxy_read_timeout 300ms; proxy_pass http://127.0.0.1:{}; }}\n",
                    closed.port(), slow.port()));
    const json report = w.run(config_of(check_of("bad-gateway", nginx.extra_url("/api/health")) +
                                        check_of("gateway-timeout", nginx.extra_url("/api/slow"))),
                              1);
    CHECK(hint_ids(report, "bad-gateway") == Ids{"upstream"});
    CHECK(evidence_of(report, "bad-gateway").starts_with("status 502, server: \"nginx"));
    CHECK(first_hint(report, "bad-gateway").at("title") == "the upstream behind a proxy is down or unreachable");
    CHECK(hint_ids(report, "gateway-timeout") == Ids{"upstream"});
    CHECK(evidence_of(report, "gateway-timeout").starts_with("status 504, server: \"nginx"));
    CHECK(first_hint(report, "gateway-timeout").at("title") ==
          "the upstream behind a proxy did not answer the proxy in time");
  }
  SUBCASE("an envoy-like edge with no healthy upstream (503)") {
    const FaultServer edge(pw::test::respond(503, "no healthy upstream", "text/plain", {"Server: envoy"}));
    const json report = w.run(config_of(check_of("api", edge.url("/api/health"))), 1);
    CHECK(hint_ids(report, "api") == Ids{"upstream"});
    CHECK(evidence_of(report, "api") == "status 503, server: \"envoy\"");
  }
}

TEST_CASE("diagnosis: login-redirect, /health sent to /login?next=/health") {
  const pw::test::HttpEndpoint site([](const httplib::Request& request, httplib::Response& response) {
    if (request.path == "/health") {
      response.status = 302;
      response.set_header("Location", "/login?next=/health");
      return;
    }
    response.set_content("<!doctype html><html><title>Sign in</title><form action=/session></form></html>",
                         "text/html; charset=utf-8");
  });
  DiagnosisWorkspace w;
  SUBCASE("followed to a 200 login page, where JSON was expected") {
    const json report =
        w.run(config_of(check_of("api", site.url("/health"), "    expect: { json: { /status: ok } }\n")), 1);
    CHECK(hint_ids(report, "api") == Ids{"login-redirect"});
    CHECK(evidence_of(report, "api") == "redirect to " + site.url("/login?next=/health"));
  }
  SUBCASE("not followed, where 200 was expected") {
    const json report = w.run(
        config_of(check_of("api", site.url("/health"), "    follow_redirects: false\n    expect: { status: 200 }\n")),
        1);
    CHECK(hint_ids(report, "api") == Ids{"login-redirect"});
  }
}

TEST_CASE("diagnosis: html-not-json, a 200 web page where JSON was expected") {
  const pw::test::HttpEndpoint site([](const httplib::Request&, httplib::Response& response) {
    response.set_content("<!doctype html><html><body><div id=app></div></body></html>", "text/html; charset=utf-8");
  });
  DiagnosisWorkspace w;
  const json report =
      w.run(config_of(check_of("api", site.url("/health"), "    expect: { json: { /status: ok } }\n")), 1);
  CHECK(hint_ids(report, "api") == Ids{"html-not-json"});
  CHECK(evidence_of(report, "api") ==
        "content-type: \"text/html; charset=utf-8\", body starts \"<!doctype html><html><body><div id=app><\"");
}
