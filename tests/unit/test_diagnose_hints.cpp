#include <bot/config/load.hpp>
#include <bot/diagnose/diagnose.hpp>

#include <doctest/doctest.h>

#include <map>

using namespace std::chrono_literals;

namespace {

pw::Config config_of(const std::string& expect = "") {
  return pw::load_config("checks:\n  - name: api\n    url: https://api.test/v1/health\n" + expect +
                             "  - name: home\n    url: https://api.test/\n",
                         "t.yml", {})
      .value();
}

pw::CheckResult failed(pw::Evidence evidence) {
  pw::CheckResult result;
  result.id = "api";
  result.attempts = 1;
  result.evidence = std::move(evidence);
  return result;
}

pw::Evidence transport(pw::TransportFailure failure, pw::Phase phase, std::string error) {
  pw::Evidence evidence;
  evidence.url = "https://api.test/v1/health";
  evidence.failure = failure;
  evidence.failure_phase = phase;
  evidence.error = std::move(error);
  return evidence;
}

pw::Evidence response(int status, std::vector<std::pair<std::string, std::string>> headers, std::string body = "") {
  pw::Evidence evidence;
  evidence.url = "https://api.test/v1/health";
  evidence.status = status;
  evidence.headers = std::move(headers);
  evidence.body = std::move(body);
  return evidence;
}

pw::Evidence tls_failure(std::string reason) {
  pw::Evidence evidence = transport(pw::TransportFailure::tls, pw::Phase::tls, reason);
  evidence.tls = pw::TlsEvidence{"TLSv1.3", std::nullopt, std::nullopt, reason};
  return evidence;
}

// One case per kind of failure in the probe fault matrix, with the only hint it may produce.
struct Case {
  const char* name;
  pw::Evidence evidence;
  std::string expected;  // the hint id, or "" for none
  pw::HealthyFingerprint healthy = {};
  bool sibling_passes = false;
  bool expects_json = false;
};

std::vector<Case> matrix() {
  pw::Evidence login = response(200, {{"content-type", "text/html"}}, "<html>Sign in</html>");
  login.redirects = {{302, "https://api.test/v1/health", "https://sso.api.test/login?next=%2Fv1%2Fhealth"}};
  return {
      {"dns", transport(pw::TransportFailure::dns, pw::Phase::resolve, "DNS lookup for api.test failed"), "dns"},
      {"refused", transport(pw::TransportFailure::refused, pw::Phase::connect, "connection refused"), "refused"},
      {"expired", tls_failure("TLS certificate for api.test expired on 2025-01-01 (not after 2025-01-01T00:00:00Z)"),
       "tls-expired"},
      {"wrong host", tls_failure("TLS certificate is for other.test, not api.test"), "tls-hostname"},
      {"unknown CA",
       tls_failure("TLS certificate is issued by unknown CA CN=Private; set ca_file to trust a private CA"),
       "tls-unknown-ca"},
      {"handshake", tls_failure("TLS handshake with api.test:443 failed: wrong version number"), "tls-handshake"},
      {"unusable ca_file",
       transport(pw::TransportFailure::tls, pw::Phase::tls, "cannot use ca_file /ci/ca.pem: no such file"), ""},
      {"connect timeout", transport(pw::TransportFailure::timeout, pw::Phase::connect, "timed out connecting"),
       "timeout-connect"},
      {"header timeout", transport(pw::TransportFailure::timeout, pw::Phase::headers, "timed out waiting"),
       "timeout-headers"},
      {"body timeout", transport(pw::TransportFailure::timeout, pw::Phase::body, "timed out reading"), "timeout-body"},
      {"reset", transport(pw::TransportFailure::reset, pw::Phase::headers, "connection reset"), "reset"},
      {"redirect loop", transport(pw::TransportFailure::redirect_loop, pw::Phase::headers, "redirect loop"),
       "redirect-loop"},
      {"edge 404 (server differs)", response(404, {{"server", "cloudflare"}}), "edge-404", {"nginx/1.22", ""}},
      {"edge 404 (no request id)",
       response(404, {{"server", "nginx/1.22"}}),
       "edge-404",
       {"nginx/1.22", "x-request-id"}},
      {"edge 404 while a sibling passes (server differs)",
       response(404, {{"server", "nginx/1.22"}}),
       "edge-404",
       {"app/1.0", "x-request-id"},
       true},
      {"edge 404 while a sibling passes (no request id)",
       response(404, {{"server", "nginx/1.22"}}),
       "edge-404",
       {"nginx/1.22", "x-request-id"},
       true},
      {"app 404",
       response(404, {{"server", "nginx/1.22"}, {"x-request-id", "abc"}}),
       "",
       {"nginx/1.22", "x-request-id"}},
      {"routing 404",
       response(404, {{"server", "nginx/1.22"}, {"x-request-id", "abc"}}),
       "routing-404",
       {"nginx/1.22", "x-request-id"},
       true},
      {"502", response(502, {{"server", "nginx"}}), "upstream"},
      {"503", response(503, {{"server", "envoy"}}), "upstream"},
      {"504", response(504, {}), "upstream"},
      {"503 from the application itself",
       response(503, {{"server", "gunicorn"}}, "database connection refused"),
       "app-unavailable",
       {"gunicorn", ""}},
      {"503 through a proxy (via)", response(503, {{"via", "1.1 varnish"}}), "upstream"},
      {"503 from a proxy (its error page)", response(503, {}, "<html><center>nginx</center></html>"), "upstream"},
      {"json labelled text/html",
       response(200, {{"content-type", "text/html"}}, R"({"status":"down"})"),
       "json-as-html",
       {},
       false,
       true},
      {"500", response(500, {{"server", "nginx"}}), ""},
      {"login redirect", login, "login-redirect"},
      {"html instead of json",
       response(200, {{"content-type", "text/html"}}, "<!doctype html><html>"),
       "html-not-json",
       {},
       false,
       true},
      {"wrong json value",
       response(200, {{"content-type", "application/json"}}, R"({"status":"down"})"),
       "",
       {},
       false,
       true},
      {"huge body", response(200, {{"content-type", "application/octet-stream"}}, std::string(4096, 'x')), ""},
      {"invalid utf-8", response(200, {{"content-type", "text/plain"}}, "\xff\xfe"), ""},
  };
}

}  // namespace

TEST_CASE("hints: each rule fires on its own case and on no other") {
  for (const Case& item : matrix()) {
    SUBCASE(item.name) {
      const pw::Config config = config_of(item.expects_json ? "    expect: { json: { /status: ok } }\n" : "");
      const pw::CheckResult result = failed(item.evidence);
      pw::CheckResult sibling;
      sibling.id = "home";
      sibling.ok = item.sibling_passes;
      pw::DiagnosisInput input{config.checks[0], result, item.healthy};
      input.same_host.emplace_back(&config.checks[1], &sibling);
      const auto hints = pw::diagnose(input);
      if (item.expected.empty()) {
        CHECK(hints.empty());
      } else {
        REQUIRE(hints.size() == 1);
        CHECK(hints[0].id == item.expected);
        CHECK_FALSE(hints[0].evidence.empty());
      }
    }
  }
}

TEST_CASE("hints: the evidence they quote") {
  const pw::Config config = config_of();
  SUBCASE("edge 404 names both servers") {
    const pw::CheckResult result = failed(response(404, {{"server", "cloudflare"}}));
    const auto hints = pw::diagnose({config.checks[0], result, {"nginx/1.22", ""}});
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].title == "a 404 the application probably did not send");
    CHECK(hints[0].evidence == "server: \"cloudflare\" (healthy responses: \"nginx/1.22\")");
  }
  SUBCASE("routing 404 names the passing siblings") {
    const pw::CheckResult result = failed(response(404, {}));
    pw::CheckResult sibling;
    sibling.id = "home";
    sibling.ok = true;
    pw::DiagnosisInput input{config.checks[0], result};
    input.same_host.emplace_back(&config.checks[1], &sibling);
    const auto hints = pw::diagnose(input);
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].evidence == "/v1/health 404 while home on api.test pass");
  }
  SUBCASE("upstream quotes the status and server") {
    const pw::CheckResult result = failed(response(503, {{"server", "envoy"}}));
    const auto hints = pw::diagnose({config.checks[0], result});
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].title == "the upstream behind a proxy is down or unreachable");
    CHECK(hints[0].evidence == "status 503, server: \"envoy\"");
  }
  SUBCASE("a 503 the application sent names the application, with its body") {
    const pw::CheckResult result = failed(response(503, {{"server", "gunicorn"}}, "database connection refused\n"));
    const auto hints = pw::diagnose({config.checks[0], result, {"gunicorn", ""}});
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].title == "the application itself says it is unavailable");
    CHECK(hints[0].evidence == "status 503, body: \"database connection refused\"");
  }
  SUBCASE("a 503 with a Server header unlike the healthy responses' is the proxy's") {
    const pw::CheckResult result = failed(response(503, {{"server", "awselb/2.0"}}));
    const auto hints = pw::diagnose({config.checks[0], result, {"gunicorn", ""}});
    REQUIRE(hints.size() == 1);
    CHECK(hints[0].title == "the upstream behind a proxy is down or unreachable");
    CHECK(hints[0].evidence == "status 503, server: \"awselb/2.0\" (healthy responses: \"gunicorn\")");
  }
  SUBCASE("a 503 through a Via header quotes it") {
    const pw::CheckResult result = failed(response(503, {{"via", "1.1 varnish"}}));
    CHECK(pw::diagnose({config.checks[0], result}).at(0).evidence == "status 503, via: \"1.1 varnish\"");
  }
  SUBCASE("a 502 with no other sign is still a gateway's") {
    const pw::CheckResult result = failed(response(502, {}));
    CHECK(pw::diagnose({config.checks[0], result}).at(0).evidence == "status 502 (a gateway's status)");
  }
  SUBCASE("a passing check has no hints") {
    pw::CheckResult ok = failed(response(200, {}));
    ok.ok = true;
    CHECK(pw::diagnose({config.checks[0], ok}).empty());
  }
}
