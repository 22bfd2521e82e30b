// integration.probe_nginx: the real HttplibProber and judge() against a real nginx with
// TLS, using certificates from a CA the test makes with openssl.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <bot/core/timestamp.hpp>
#include <bot/probe/probe_all.hpp>

#include <support/nginx_fixture.hpp>
#include "probe_once.hpp"

#include <memory>

using namespace std::chrono_literals;
using pw::test::NginxFixture;
using pw::test::probe_check;
using pw::test::probe_once;
using Site = NginxFixture::Site;

namespace {

NginxFixture& nginx() {
  // One nginx for the whole binary; its destructor runs at exit, stopping it.
  static NginxFixture instance;
  return instance;
}

int days_from_now(pw::TimePoint time) {
  return static_cast<int>(std::chrono::round<std::chrono::days>(time - std::chrono::system_clock::now()).count());
}

}  // namespace

TEST_CASE("probe nginx: JSON health over http, with the server's headers") {
  REQUIRE(nginx().wait_until_ready());
  pw::Check check = probe_check(nginx().http_url("/health"));
  check.expect.json.push_back({"/status", {"status"}, "ok", true});
  check.expect.json.push_back({"/version", {"version"}, "1.2.3", true});
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  CHECK(result.evidence.status == 200);
  CHECK(result.evidence.header("server")->starts_with("nginx"));
  CHECK(*result.evidence.header("content-type") == "application/json");
  CHECK(*result.evidence.header("x-cache") == "MISS");
  CHECK(result.evidence.body == R"({"status":"ok","version":"1.2.3"})");
}

TEST_CASE("probe nginx: a valid certificate passes, with its dates and the TLS version") {
  for (const std::string host : {"localhost", "127.0.0.1"}) {
    CAPTURE(host);
    pw::Check check = probe_check(nginx().https_url(Site::valid, "/health", host));
    check.ca_file = nginx().ca_file();
    check.expect.cert_days_left = 14;
    const pw::CheckResult result = probe_once(check);
    CHECK(result.ok);
    CHECK(result.evidence.failure == pw::TransportFailure::none);
    REQUIRE(result.evidence.tls.has_value());
    const pw::TlsEvidence& tls = *result.evidence.tls;
    CHECK(tls.version == "TLSv1.3");
    CHECK(tls.verify_error.empty());
    REQUIRE(tls.leaf.has_value());
    CHECK(tls.leaf->subject == "CN=localhost");
    CHECK(tls.leaf->issuer == "CN=probewatch test CA");
    CHECK(tls.leaf->names == std::vector<std::string>{"localhost", "127.0.0.1"});
    CHECK(days_from_now(tls.leaf->not_after) == NginxFixture::k_leaf_days);
    CHECK(days_from_now(tls.leaf->not_before) == 0);
    // The CA in the chain expires first, so it sets the chain's earliest not-after.
    REQUIRE(tls.chain_not_after.has_value());
    CHECK(days_from_now(*tls.chain_not_after) == NginxFixture::k_ca_days);
  }
}

TEST_CASE("probe nginx: cert_days_left counts the earliest expiry in the chain") {
  pw::Check check = probe_check(nginx().https_url(Site::valid, "/health"));
  check.ca_file = nginx().ca_file();
  check.expect.cert_days_left = 25;
  const pw::CheckResult result = probe_once(check);
  CHECK_FALSE(result.ok);
  REQUIRE(result.failed.size() == 1);
  CHECK(result.failed[0].key == "cert_days_left");
  CHECK(result.failed[0].message.starts_with("certificate expires in 19 days"));
}

TEST_CASE("probe nginx: an expired certificate fails the handshake, with its dates") {
  pw::Check check = probe_check(nginx().https_url(Site::expired, "/health"));
  check.ca_file = nginx().ca_file();
  const pw::CheckResult result = probe_once(check);
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::tls);
  CHECK(result.evidence.failure_phase == pw::Phase::tls);
  CHECK(result.evidence.error ==
        "TLS certificate for localhost, 127.0.0.1 expired on 2025-02-01 (not after 2025-02-01T00:00:00Z)");
  CHECK_FALSE(result.evidence.status.has_value());
  REQUIRE(result.evidence.tls.has_value());
  REQUIRE(result.evidence.tls->leaf.has_value());
  CHECK(pw::format_timestamp(result.evidence.tls->leaf->not_after) == NginxFixture::k_expired_not_after);
  CHECK(result.evidence.tls->verify_error == result.evidence.error);
}

TEST_CASE("probe nginx: a certificate for another host name fails, naming the names") {
  pw::Check check = probe_check(nginx().https_url(Site::wrong_host, "/health"));
  check.ca_file = nginx().ca_file();
  const pw::CheckResult result = probe_once(check);
  CHECK(result.evidence.failure == pw::TransportFailure::tls);
  CHECK(result.evidence.error == "TLS certificate is for wrong.example.test, www.wrong.example.test, not localhost");
  SUBCASE("an IP address is checked against IP names") {
    check.url = nginx().https_url(Site::wrong_host, "/health", "127.0.0.1");
    const pw::CheckResult by_ip = probe_once(check);
    CHECK(by_ip.evidence.error == "TLS certificate is for wrong.example.test, www.wrong.example.test, not 127.0.0.1");
  }
}

TEST_CASE("probe nginx: a private CA is unknown without ca_file") {
  const pw::CheckResult result = probe_once(probe_check(nginx().https_url(Site::valid, "/health")));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::tls);
  CHECK(result.evidence.error ==
        "TLS certificate is issued by unknown CA CN=probewatch test CA; set ca_file to trust a private CA");
  REQUIRE(result.evidence.tls.has_value());
  CHECK(result.evidence.tls->leaf->subject == "CN=localhost");
}

TEST_CASE("probe nginx: insecure skips verification but keeps the evidence") {
  SUBCASE("expired") {
    pw::Check check = probe_check(nginx().https_url(Site::expired, "/health"));
    check.insecure = true;
    const pw::CheckResult result = probe_once(check);
    CHECK(result.ok);
    CHECK(result.evidence.status == 200);
    REQUIRE(result.evidence.tls.has_value());
    CHECK(pw::format_timestamp(result.evidence.tls->leaf->not_after) == NginxFixture::k_expired_not_after);
    CHECK_FALSE(result.evidence.tls->verify_error.empty());
    check.expect.cert_days_left = 1;
    const pw::CheckResult judged = probe_once(check);
    CHECK_FALSE(judged.ok);
    CHECK(judged.failed[0].key == "cert_days_left");
  }
  SUBCASE("wrong host") {
    pw::Check check = probe_check(nginx().https_url(Site::wrong_host, "/health"));
    check.insecure = true;
    const pw::CheckResult result = probe_once(check);
    CHECK(result.ok);
    CHECK(result.evidence.tls->verify_error ==
          "TLS certificate is issued by unknown CA CN=probewatch test CA; set ca_file to trust a private CA");
  }
}

TEST_CASE("probe nginx: a redirect chain is recorded hop by hop") {
  SUBCASE("http") {
    const pw::CheckResult result = probe_once(probe_check(nginx().http_url("/chain")));
    CHECK(result.ok);
    CHECK(result.evidence.url == nginx().http_url("/health"));
    REQUIRE(result.evidence.redirects.size() == 2);
    CHECK(result.evidence.redirects[0].status == 301);
    CHECK(result.evidence.redirects[0].from == nginx().http_url("/chain"));
    CHECK(result.evidence.redirects[0].location == nginx().http_url("/redirect"));
    CHECK(result.evidence.redirects[1].status == 302);
    CHECK(result.evidence.redirects[1].location == nginx().http_url("/health"));
  }
  SUBCASE("https") {
    pw::Check check = probe_check(nginx().https_url(Site::valid, "/redirect"));
    check.ca_file = nginx().ca_file();
    const pw::CheckResult result = probe_once(check);
    CHECK(result.ok);
    CHECK(result.evidence.url == nginx().https_url(Site::valid, "/health"));
    CHECK(result.evidence.redirects.size() == 1);
    CHECK(result.evidence.tls.has_value());
  }
}

TEST_CASE("probe nginx: a redirect loop is detected") {
  const pw::CheckResult result = probe_once(probe_check(nginx().http_url("/loop")));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::redirect_loop);
  CHECK(result.evidence.error == "redirect loop: " + nginx().http_url("/loop") + " redirects to " +
                                     nginx().http_url("/loop") + ", which was already visited");
}

TEST_CASE("probe nginx: a 404 is a failed status expectation, with the evidence") {
  for (const std::string& url : {nginx().http_url("/missing"), nginx().https_url(Site::valid, "/missing")}) {
    CAPTURE(url);
    pw::Check check = probe_check(url);
    check.ca_file = nginx().ca_file();
    const pw::CheckResult result = probe_once(check);
    CHECK_FALSE(result.ok);
    CHECK(result.evidence.failure == pw::TransportFailure::none);
    CHECK(result.evidence.status == 404);
    REQUIRE(result.failed.size() == 1);
    CHECK(result.failed[0].message == "status 404 not in [200-399]");
    CHECK(result.evidence.header("server")->starts_with("nginx"));
  }
}

TEST_CASE("probe nginx: a missing ca_file is a TLS failure that says so") {
  pw::Check check = probe_check(nginx().https_url(Site::valid, "/health"));
  check.ca_file = "/nonexistent/ca.pem";
  const pw::CheckResult result = probe_once(check);
  CHECK(result.evidence.failure == pw::TransportFailure::tls);
  CHECK(result.evidence.error == "cannot use ca_file /nonexistent/ca.pem: no such file");
}
