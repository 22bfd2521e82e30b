// What an incident shows of TLS and DNS evidence: the cipher, and who answered a dns:// check
// with what (records and TTLs), shown as code since the names come from outside.
#include <bot/config/load.hpp>
#include <bot/expect/expectations.hpp>

#include <github_client/iso8601.hpp>

#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

std::string incident_body(AppHarness& s) {
  for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
    if (issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
      return *issue.body;
    }
  }
  FAIL("no incident");
  return "";
}

}  // namespace

TEST_CASE("evidence rows: a dns:// incident names the server, the rcode and each answer with its TTL") {
  AppHarness s;
  s.write_config(
      "defaults: { retries: 0 }\nchecks:\n  - id: mail-mx\n    url: dns://example.test\n    record: MX\n    "
      "dns_server: 127.0.0.1:5353\n    expect: { answers: [\"10 mx.example.test\"] }\n");
  pw::Evidence answer;
  answer.url = "dns://example.test";
  answer.dns = pw::DnsEvidence{"127.0.0.1:5353", "MX", "NOERROR", {{"MX", "20 @backup.example.test", 300}}};
  s.prober.set("dns://example.test", answer);
  s.clock.advance(5min);
  const auto result = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  const std::string body = incident_body(s);
  CHECK(body.find("| DNS | MX asked of 127.0.0.1:5353: NOERROR |\n") != std::string::npos);
  // The mention in the answer is neutralized inside the code span.
  CHECK(body.find("| Answers | `MX 20 @\u200Bbackup.example.test (TTL 300s)` |\n") != std::string::npos);
}

TEST_CASE("evidence rows: a TLS row names the negotiated cipher") {
  AppHarness s;
  s.write_config("defaults: { retries: 0 }\nchecks:\n  - id: edge\n    url: https://edge.test/\n");
  pw::Evidence evidence = pw::test::ScriptedProber::json("https://edge.test/", "{}", 503);
  pw::TlsEvidence tls;
  tls.version = "TLSv1.3";
  tls.cipher = "TLS_AES_256_GCM_SHA384";
  tls.leaf = pw::CertificateInfo{"CN=edge.test", "CN=Test CA", {"edge.test"}, {}, s.clock.now() + 24h * 30};
  evidence.tls = tls;
  s.prober.set("https://edge.test/", evidence);
  s.clock.advance(5min);
  const auto result = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(result.out << result.err);
  CHECK(incident_body(s).find("| TLS | TLSv1.3 (TLS_AES_256_GCM_SHA384), certificate for edge.test valid until ") !=
        std::string::npos);
}

TEST_CASE("early warning: a certificate expiring within cert_warning opens its own incident, apart from failing") {
  AppHarness s;
  s.write_config(
      "defaults: { retries: 0 }\nchecks:\n  - id: edge\n    name: Edge\n    url: https://edge.test/\n    "
      "cert_warning: 21d\n");
  s.clock.advance(5min);
  pw::Evidence evidence = pw::test::ScriptedProber::json("https://edge.test/", "{}", 200);
  pw::TlsEvidence tls;
  tls.version = "TLSv1.3";
  tls.leaf = pw::CertificateInfo{"CN=edge.test", "CN=Test CA", {"edge.test"}, {}, s.clock.now() + 24h * 12 + 1h};
  evidence.tls = tls;
  s.prober.set("https://edge.test/", evidence);
  const auto first = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 0);  // the service passes; the warning is for a person to plan
  std::vector<pw::test::FakeIssue> incidents;
  for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
    if (issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
      incidents.push_back(issue);
    }
  }
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].title == "Edge certificate expires soon");
  CHECK(incidents[0].body->find("**Edge certificate** needs attention: `the certificate for edge.test expires in 12 "
                                "days (") != std::string::npos);
  CHECK(incidents[0].body->find("within the 21-day warning (cert_warning)") != std::string::npos);
  CHECK(incidents[0].body->find("\"check\":\"edge:certificate\"") != std::string::npos);

  // Renewed: the warning closes; the check itself never had an incident.
  tls.leaf->not_after = s.clock.now() + 24h * 90;
  evidence.tls = tls;
  s.prober.set("https://edge.test/", evidence);
  s.clock.advance(5min);
  const auto renewed = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(renewed.out << renewed.err);
  for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
    if (issue.number == incidents[0].number) {
      CHECK(issue.state == "closed");
    }
  }
}

TEST_CASE("early warning: cert_warning needs a URL with a certificate, unless it comes from defaults") {
  auto own =
      pw::load_config("checks:\n  - id: a\n    url: http://a.test/\n    cert_warning: 21d\n", "probewatch.yml", {});
  REQUIRE_FALSE(own.has_value());
  CHECK(own.error().message ==
        "probewatch.yml:2:5: check \"a\" sets cert_warning but its url has no certificate; use "
        "tls:// or https:// or drop cert_warning");
  auto inherited = pw::load_config(
      "defaults: { cert_warning: 21d }\nchecks:\n  - id: a\n    url: http://a.test/\n  - id: b\n    url: "
      "https://b.test/\n",
      "probewatch.yml", {});
  REQUIRE_MESSAGE(inherited.has_value(), inherited.error().message);
  CHECK_FALSE(inherited->checks[0].cert_warning.has_value());
  CHECK(inherited->checks[1].cert_warning == std::chrono::milliseconds(21LL * 24 * 3600 * 1000));
}

TEST_CASE("early warning: a run that sees no certificate leaves the warning as it is") {
  AppHarness s;
  s.write_config(
      "defaults: { retries: 0 }\nchecks:\n  - id: edge\n    name: Edge\n    url: https://edge.test/\n    "
      "cert_warning: 21d\n");
  s.clock.advance(5min);
  pw::Evidence evidence = pw::test::ScriptedProber::json("https://edge.test/", "{}", 200);
  pw::TlsEvidence tls;
  tls.version = "TLSv1.3";
  tls.leaf = pw::CertificateInfo{"CN=edge.test", "CN=Test CA", {"edge.test"}, {}, s.clock.now() + 24h * 5};
  evidence.tls = tls;
  s.prober.set("https://edge.test/", evidence);
  s.run({"run", "--config", s.path("probewatch.yml").string()});
  s.prober.set_timeout("https://edge.test/");  // no handshake: nothing known of the certificate
  s.clock.advance(5min);
  const auto down = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(down.out << down.err);
  CHECK(down.exit_code == 1);
  int open_warnings = 0;
  int open_failing = 0;
  for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
    if (issue.state == "open" && issue.body) {
      open_warnings += issue.body->find("\"check\":\"edge:certificate\"") != std::string::npos;
      open_failing += issue.body->find("\"check\":\"edge\"") != std::string::npos;
    }
  }
  CHECK(open_warnings == 1);  // neither closed as removed nor as renewed
  CHECK(open_failing == 1);
}

namespace {

// An RDAP answer in the shape registries publish (RFC 9083), trimmed.
std::string rdap_answer(const std::string& expiration) {
  return R"({"objectClassName":"domain","ldhName":"EXAMPLE.COM","status":["client transfer prohibited"],
"events":[{"eventAction":"registration","eventDate":"1995-08-14T04:00:00Z"},
{"eventAction":"expiration","eventDate":")" +
         expiration + R"("},{"eventAction":"last update of RDAP database","eventDate":"2026-12-01T10:00:00Z"}],
"notices":[{"title":"Terms of Use","description":["Service subject to Terms of Use."]}]})";
}

}  // namespace

TEST_CASE("early warning: rdap_expiration reads the expiration event as registries write it") {
  CHECK(pw::rdap_expiration(rdap_answer("2027-08-13T04:00:00Z")).value() ==
        github::parse_iso8601("2027-08-13T04:00:00Z").value());
  CHECK(pw::rdap_expiration(rdap_answer("2027-08-13T04:00:00.000Z")).value() ==
        github::parse_iso8601("2027-08-13T04:00:00Z").value());
  CHECK(pw::rdap_expiration(rdap_answer("2027-08-13T04:00:00+00:00")).value() ==
        github::parse_iso8601("2027-08-13T04:00:00Z").value());
  CHECK(pw::rdap_expiration("<html>rate limited</html>").error() == "the answer is not a JSON object");
  CHECK(pw::rdap_expiration(R"({"ldhName":"x"})").error() == "the answer has no \"events\" list");
  CHECK(pw::rdap_expiration(R"({"events":[{"eventAction":"registration","eventDate":"1995-08-14T04:00:00Z"}]})")
            .error() == "the answer has no \"expiration\" event (some registries publish none)");
  CHECK(pw::rdap_expiration(rdap_answer("next year")).error() ==
        "its expiration date \"next year\" is not an ISO 8601 time");
  CHECK(pw::rdap_expiration(R"({"events":[{"eventAction":"expiration"}]})").error() ==
        "its \"expiration\" event has no eventDate");
}

TEST_CASE(
    "early warning: a domain expiring within domain_warning opens its own incident; the RDAP server is asked once") {
  AppHarness s;
  s.write_config(
      "rdap_server: http://rdap.test\ndefaults: { retries: 0 }\nchecks:\n  - id: api\n    name: API\n    url: "
      "https://api.eu.example.com/health\n    domain_warning: 30d\n  - id: web\n    url: https://www.example.com/\n    "
      "domain_warning: 30d\n");
  s.prober.set_status("https://api.eu.example.com/health", 200);
  s.prober.set_status("https://www.example.com/", 200);
  s.clock.advance(5min);
  const std::string rdap = "http://rdap.test/domain/example.com";
  s.prober.set(rdap, pw::test::ScriptedProber::json(
                         rdap, rdap_answer(github::format_iso8601(s.clock.now() + 24h * 20 + 1h)), 200));
  const auto first = s.run({"run", "--config", s.path("probewatch.yml").string()});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 0);
  std::vector<pw::test::FakeIssue> incidents;
  for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
    if (issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
      incidents.push_back(issue);
    }
  }
  REQUIRE(incidents.size() == 2);  // one per check: each check's owners and labels apply
  CHECK(incidents[0].title == "API domain expires soon");
  CHECK(incidents[0].body->find("the domain example.com expires in 20 days (") != std::string::npos);
  CHECK(incidents[0].body->find("within the 30-day warning (domain_warning)") != std::string::npos);

  SUBCASE("an RDAP server that fails leaves the warning open, with a warning that says why") {
    s.prober.set_status(rdap, 429);
    s.clock.advance(5min);
    const auto limited = s.run({"run", "--config", s.path("probewatch.yml").string()});
    CHECK(limited.err.find("probewatch: warning: could not read the registration of example.com: the RDAP server "
                           "answered 429 for http://rdap.test/domain/example.com; the domain warning of api stays as "
                           "it was\n") != std::string::npos);
    for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
      CHECK(issue.state == "open");
    }
  }
  SUBCASE("renewed, the warnings close") {
    s.prober.set(rdap, pw::test::ScriptedProber::json(
                           rdap, rdap_answer(github::format_iso8601(s.clock.now() + 24h * 365)), 200));
    s.clock.advance(5min);
    s.run({"run", "--config", s.path("probewatch.yml").string()});
    for (const auto& issue : s.github.issues(AppHarness::k_repo)) {
      if (issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
        CHECK(issue.state == "closed");
      }
    }
  }
}

TEST_CASE("early warning: domain_warning on an address needs domain:") {
  auto config = pw::load_config("checks:\n  - id: a\n    url: http://127.0.0.1:8080/\n    domain_warning: 30d\n",
                                "probewatch.yml", {});
  REQUIRE_FALSE(config.has_value());
  CHECK(config.error().message ==
        "probewatch.yml:2:5: check \"a\" sets domain_warning but its host \"127.0.0.1\" is no "
        "domain name; set domain: to the registered domain");
  auto named = pw::load_config(
      "checks:\n  - id: a\n    url: http://127.0.0.1:8080/\n    domain_warning: 30d\n    domain: example.co.uk\n",
      "probewatch.yml", {});
  REQUIRE_MESSAGE(named.has_value(), named.error().message);
  CHECK(named->checks[0].domain == "example.co.uk");
}

TEST_CASE("derived checks: the late-runs check and early warnings are probewatch's own") {
  CHECK(pw::derived_check("probewatch-runs"));
  CHECK(pw::derived_check("api:certificate"));
  CHECK(pw::derived_check("api:domain"));
  CHECK_FALSE(pw::derived_check("api"));
  CHECK(pw::base_check_id("api:domain") == "api");
  CHECK(pw::base_check_id("api:certificate") == "api");
  CHECK(pw::base_check_id("api") == "api");
}
