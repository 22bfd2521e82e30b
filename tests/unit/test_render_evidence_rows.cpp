// What an incident shows of TLS and DNS evidence: the cipher, and who answered a dns:// check
// with what (records and TTLs), shown as code since the names come from outside.
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
