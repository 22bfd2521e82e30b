// integration.probe_socket: tcp://, tls:// and dns:// checks through the real SocketProber and
// DnsProber (behind the SchemeProber), judged and diagnosed as the run does, against an
// in-process TCP listener, a real nginx with TLS from a CA the test makes with openssl, and an
// in-process DNS responder on 127.0.0.1.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <bot/diagnose/diagnose.hpp>
#include <bot/probe/dns_prober.hpp>
#include <bot/probe/probe_all.hpp>
#include <bot/probe/scheme_prober.hpp>
#include <bot/probe/socket_prober.hpp>

#include <support/dns_responder.hpp>
#include <support/fake_clock.hpp>
#include <support/fault_server.hpp>
#include <support/nginx_fixture.hpp>

#include <fmt/format.h>

using namespace std::chrono_literals;
using pw::test::NginxFixture;
using Site = NginxFixture::Site;

namespace {

NginxFixture& nginx() {
  // One nginx for the whole binary; its destructor runs at exit, stopping it.
  static NginxFixture instance;
  return instance;
}

// HTTP checks never reach it here: a prober that fails the test if they do.
class NoHttp final : public pw::Prober {
 public:
  pw::Evidence attempt(const pw::Check& check) override {
    FAIL("an HTTP prober was asked for " << check.url);
    return {};
  }
};

pw::Check socket_check(std::string url, std::chrono::milliseconds timeout = 10s) {
  pw::Check check;
  check.id = "socket";
  check.name = "socket";
  check.url = std::move(url);
  check.timeout = timeout;
  check.retries = 0;
  return check;
}

struct Probed {
  pw::CheckResult result;
  std::vector<pw::Hint> hints;
};

Probed probe(const pw::Check& check) {
  static pw::SocketProber socket_prober;
  static pw::DnsProber dns_prober("nameserver 127.0.0.1\n");
  NoHttp http;
  pw::SchemeProber prober(http, socket_prober, dns_prober);
  // Starts at the real time: the fixture's certificates are made now, and cert_days_left counts
  // from the clock (a fixed date made the expiry cases depend on the day the test runs).
  pw::test::FakeClock clock{pw::SystemClock{}.now()};
  Probed out;
  out.result = pw::probe_all({check}, prober, clock, {}).at(0);
  out.hints = pw::diagnose({check, out.result, {}, {}});
  return out;
}

std::vector<std::string> hint_ids(const Probed& probed) {
  std::vector<std::string> ids;
  for (const pw::Hint& hint : probed.hints) {
    ids.push_back(hint.id);
  }
  return ids;
}

}  // namespace

TEST_CASE("socket: tcp:// connects, sends a line and judges the reply") {
  pw::test::FaultServer server(pw::test::Script{false, {pw::test::send("220 mail.example.test ESMTP\r\n")}});
  REQUIRE(server.wait_until_ready());
  const std::string url = fmt::format("tcp://127.0.0.1:{}", server.port());
  SUBCASE("a connection alone passes") {
    const Probed probed = probe(socket_check(url));
    CHECK(probed.result.ok);
    CHECK(probed.result.evidence.addresses == std::vector<std::string>{"127.0.0.1"});
    CHECK(probed.result.evidence.status == std::nullopt);
  }
  SUBCASE("the reply matches") {
    pw::Check check = socket_check(url);
    check.send = "EHLO probewatch";
    check.expect.reply_matches = *pw::Regex::compile("^220 ");
    const Probed probed = probe(check);
    CHECK(probed.result.ok);
    CHECK(probed.result.evidence.body == "220 mail.example.test ESMTP\r\n");
  }
  SUBCASE("the reply does not match") {
    pw::Check check = socket_check(url);
    check.expect.reply_matches = *pw::Regex::compile("^\\+PONG");
    const Probed probed = probe(check);
    CHECK_FALSE(probed.result.ok);
    REQUIRE(probed.result.failed.size() == 1);
    CHECK(probed.result.failed[0].message == "reply \"220 mail.example.test ESMTP\r\n\" does not match /^\\+PONG/");
  }
}

TEST_CASE("socket: tcp:// failures carry the hint of their kind") {
  SUBCASE("refused") {
    pw::test::RefusedPort port;
    const Probed probed = probe(socket_check(fmt::format("tcp://127.0.0.1:{}", port.port())));
    CHECK_FALSE(probed.result.ok);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::refused);
    CHECK(probed.result.evidence.error ==
          fmt::format("connection refused by 127.0.0.1:{} (nothing is listening)", port.port()));
    CHECK(hint_ids(probed) == std::vector<std::string>{"refused"});
  }
  SUBCASE("filtered: the connection attempt times out") {
    pw::test::BlackholePort port;
    // A real deadline: the handshake must hang until it passes, so the test waits 1 s for it.
    const Probed probed = probe(socket_check(fmt::format("tcp://127.0.0.1:{}", port.port()), 1s));
    CHECK(probed.result.evidence.failure == pw::TransportFailure::timeout);
    CHECK(probed.result.evidence.error == "timed out after 1s while connecting");
    CHECK(hint_ids(probed) == std::vector<std::string>{"timeout-connect"});
  }
  SUBCASE("the name does not resolve") {
    const Probed probed = probe(socket_check("tcp://nothing.invalid:25"));
    CHECK(probed.result.evidence.failure == pw::TransportFailure::dns);
    CHECK(hint_ids(probed) == std::vector<std::string>{"dns"});
  }
}

TEST_CASE("socket: tls:// handshakes with SNI and records the chain, protocol and cipher") {
  REQUIRE(nginx().wait_until_ready());
  pw::Check check = socket_check(fmt::format("tls://localhost:{}", nginx().https_port(Site::valid)));
  check.ca_file = nginx().ca_file();
  SUBCASE("a valid certificate passes, with evidence") {
    check.expect.cert_days_left = 14;
    const Probed probed = probe(check);
    CHECK(probed.result.ok);
    REQUIRE(probed.result.evidence.tls.has_value());
    const pw::TlsEvidence& tls = *probed.result.evidence.tls;
    CHECK(tls.version == "TLSv1.3");
    CHECK(tls.cipher == "TLS_AES_256_GCM_SHA384");
    REQUIRE(tls.leaf.has_value());
    CHECK(tls.leaf->names == std::vector<std::string>{"localhost", "127.0.0.1"});
  }
  SUBCASE("too few days left fails cert_days_left") {
    check.expect.cert_days_left = 25;
    const Probed probed = probe(check);
    CHECK_FALSE(probed.result.ok);
    REQUIRE(probed.result.failed.size() == 1);
    CHECK(probed.result.failed[0].key == "cert_days_left");
  }
  SUBCASE("an unknown CA") {
    check.ca_file.reset();
    const Probed probed = probe(check);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::tls);
    CHECK(hint_ids(probed) == std::vector<std::string>{"tls-unknown-ca"});
  }
  SUBCASE("an expired certificate") {
    check.url = fmt::format("tls://localhost:{}", nginx().https_port(Site::expired));
    const Probed probed = probe(check);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::tls);
    CHECK(hint_ids(probed) == std::vector<std::string>{"tls-expired"});
  }
  SUBCASE("the wrong SAN") {
    check.url = fmt::format("tls://localhost:{}", nginx().https_port(Site::wrong_host));
    const Probed probed = probe(check);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::tls);
    CHECK(hint_ids(probed) == std::vector<std::string>{"tls-hostname"});
  }
  SUBCASE("a handshake with a port that speaks plain text") {
    pw::test::FaultServer server(pw::test::Script{false, {pw::test::send("220 not tls\r\n")}});
    REQUIRE(server.wait_until_ready());
    check.url = fmt::format("tls://127.0.0.1:{}", server.port());
    const Probed probed = probe(check);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::tls);
    CHECK(probed.result.evidence.error ==
          fmt::format("TLS handshake with 127.0.0.1:{} failed: wrong version number (is this port serving plain "
                      "HTTP?)",
                      server.port()));
    CHECK(hint_ids(probed) == std::vector<std::string>{"tls-handshake"});
  }
}

namespace {

std::map<std::string, pw::test::DnsZoneEntry> test_zone() {
  return {{"app.example.test", {0, {{"A", "192.0.2.10", 300}, {"A", "192.0.2.11", 300}, {"AAAA", "2001:db8::1", 60}}}},
          {"example.test", {0, {{"MX", "10 mail.example.test", 3600}, {"TXT", "v=spf1 -all", 120}}}},
          {"www.example.test", {0, {{"CNAME", "app.example.test", 30}}}},
          {"broken.example.test", {2, {}}},
          {"slow.example.test", {0, {}, true}}};
}

pw::Check dns_check(const std::string& name, const std::string& server, const std::string& record = "A") {
  pw::Check check = socket_check("dns://" + name, 10s);
  check.dns_server = server;
  check.record = record;
  return check;
}

}  // namespace

TEST_CASE("dns: answers, TTLs and the answering server are evidence; expected answers and rcodes are judged") {
  pw::test::DnsResponder dns(test_zone());
  SUBCASE("A records with an expected answer") {
    pw::Check check = dns_check("app.example.test", dns.server());
    check.expect.answers = {"192.0.2.11"};
    const Probed probed = probe(check);
    CHECK(probed.result.ok);
    REQUIRE(probed.result.evidence.dns.has_value());
    const pw::DnsEvidence& evidence = *probed.result.evidence.dns;
    CHECK(evidence.server == dns.server());
    CHECK(evidence.rcode == "NOERROR");
    REQUIRE(evidence.answers.size() == 2);
    CHECK(evidence.answers[0].value == "192.0.2.10");
    CHECK(evidence.answers[0].ttl == 300);
    CHECK(probed.result.evidence.addresses == std::vector<std::string>{"192.0.2.10", "192.0.2.11"});
  }
  SUBCASE("AAAA, MX, TXT and CNAME") {
    CHECK(probe(dns_check("app.example.test", dns.server(), "AAAA")).result.evidence.dns->answers.at(0).value ==
          "2001:db8::1");
    pw::Check mx = dns_check("example.test", dns.server(), "MX");
    mx.expect.answers = {"10 mail.example.test."};
    CHECK(probe(mx).result.ok);
    pw::Check txt = dns_check("example.test", dns.server(), "TXT");
    txt.expect.answers = {"v=spf1 -all"};
    CHECK(probe(txt).result.ok);
    pw::Check cname = dns_check("www.example.test", dns.server(), "CNAME");
    cname.expect.answers = {"app.example.test"};
    const Probed probed = probe(cname);
    CHECK(probed.result.ok);
    CHECK(probed.result.evidence.dns->answers.at(0).ttl == 30);
  }
  SUBCASE("an expected answer that is missing") {
    pw::Check check = dns_check("app.example.test", dns.server());
    check.expect.answers = {"192.0.2.99"};
    const Probed probed = probe(check);
    CHECK_FALSE(probed.result.ok);
    REQUIRE(probed.result.failed.size() == 1);
    CHECK(probed.result.failed[0].message == "A answer \"192.0.2.99\" missing; got [192.0.2.10, 192.0.2.11]");
  }
  SUBCASE("NXDOMAIN fails with its hint, unless it is what the check expects") {
    const Probed probed = probe(dns_check("gone.example.test", dns.server()));
    CHECK_FALSE(probed.result.ok);
    REQUIRE(probed.result.failed.size() == 1);
    CHECK(probed.result.failed[0].message == fmt::format("rcode NXDOMAIN from {}, expected NOERROR", dns.server()));
    CHECK(hint_ids(probed) == std::vector<std::string>{"dns-nxdomain"});
    pw::Check expected = dns_check("gone.example.test", dns.server());
    expected.expect.rcode = "NXDOMAIN";
    CHECK(probe(expected).result.ok);
  }
  SUBCASE("SERVFAIL") {
    const Probed probed = probe(dns_check("broken.example.test", dns.server()));
    CHECK_FALSE(probed.result.ok);
    CHECK(hint_ids(probed) == std::vector<std::string>{"dns-servfail"});
  }
  SUBCASE("no record of the type asked for") {
    const Probed probed = probe(dns_check("www.example.test", dns.server(), "A"));
    CHECK_FALSE(probed.result.ok);
    CHECK(probed.result.failed.at(0).message == fmt::format("no A record in the answer from {}", dns.server()));
  }
  SUBCASE("a server that never answers") {
    // A real deadline: the responder stays silent, so the test waits 1 s for it.
    pw::Check check = dns_check("slow.example.test", dns.server());
    check.timeout = 1s;
    const Probed probed = probe(check);
    CHECK(probed.result.evidence.failure == pw::TransportFailure::timeout);
    CHECK(probed.result.evidence.error ==
          fmt::format("timed out after 1s while resolving the name (no answer from {})", dns.server()));
    CHECK(hint_ids(probed) == std::vector<std::string>{"timeout-dns"});
  }
}

TEST_CASE("dns: a port where no DNS server listens is refused") {
  int port = 0;
  {
    pw::test::DnsResponder closed({});
    port = closed.port();
  }
  const Probed probed = probe(dns_check("app.example.test", fmt::format("127.0.0.1:{}", port)));
  CHECK(probed.result.evidence.failure == pw::TransportFailure::refused);
  CHECK(probed.result.evidence.error == fmt::format("connection refused by 127.0.0.1:{} (nothing is listening)", port));
  CHECK(hint_ids(probed) == std::vector<std::string>{"refused"});
}
