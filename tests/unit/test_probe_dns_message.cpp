#include <bot/config/load.hpp>
#include <bot/probe/dns_message.hpp>
#include <bot/probe/dns_prober.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace std::string_literals;

TEST_CASE("dns: a query is one question with recursion desired") {
  auto query = pw::encode_dns_query(0x1234, "app.example.test.", 1);
  REQUIRE(query.has_value());
  CHECK(*query ==
        "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
        "\x03"
        "app\x07"
        "example\x04"
        "test\x00\x00\x01\x00\x01"s);
  CHECK(pw::encode_dns_query(1, "a..b", 1).error().message ==
        "DNS name \"a..b\" has an empty label or one over 63 bytes");
  CHECK(pw::dns_type_of("MX") == 15);
  CHECK(pw::dns_type_of("SRV") == std::nullopt);
}

TEST_CASE("dns: responses with compressed names, each record type, and damage") {
  // Header: id 0x1234, a response with NOERROR, 1 question, 3 answers.
  const std::string header = "\x12\x34\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00"s;
  const std::string question =
      "\x07"
      "example\x04"
      "test\x00\x00\x0f\x00\x01"s;
  const std::string mx = "\xc0\x0c\x00\x0f\x00\x01\x00\x00\x0e\x10\x00\x09\x00\x0a\x04mail\xc0\x0c"s;
  const std::string txt = "\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x78\x00\x06\x05hello"s;
  const std::string a = "\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01"s;
  auto response = pw::parse_dns_response(header + question + mx + txt + a);
  REQUIRE_MESSAGE(response.has_value(), response.error().message);
  CHECK(response->id == 0x1234);
  CHECK(response->rcode == "NOERROR");
  REQUIRE(response->answers.size() == 3);
  CHECK(response->answers[0].type == "MX");
  CHECK(response->answers[0].value == "10 mail.example.test");
  CHECK(response->answers[0].ttl == 3600);
  CHECK(response->answers[1].value == "hello");
  CHECK(response->answers[2].value == "192.0.2.1");

  SUBCASE("NXDOMAIN") {
    auto nx = pw::parse_dns_response("\x12\x34\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00"s + question);
    REQUIRE(nx.has_value());
    CHECK(nx->rcode == "NXDOMAIN");
    CHECK(nx->answers.empty());
  }
  SUBCASE("damage") {
    CHECK(pw::parse_dns_response("\x12\x34"s).error().message ==
          "DNS response of 2 bytes is shorter than its 12-byte header");
    CHECK(pw::parse_dns_response(header + question + mx.substr(0, 8)).error().message ==
          "DNS response is cut in answer 1");
    CHECK(pw::parse_dns_response("\x12\x34\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"s).error().message ==
          "DNS message is a query, not a response");
    // A pointer loop ends instead of hanging.
    CHECK(pw::parse_dns_response("\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c"s).error().message ==
          "DNS response is cut in question 1");
  }
}

TEST_CASE("dns: the system resolver is the first IPv4 nameserver of resolv.conf") {
  CHECK(pw::system_dns_server("# generated\nsearch example.test\nnameserver ::1\nnameserver 10.0.0.2\n"
                              "nameserver 10.0.0.3\n") == "10.0.0.2:53");
  CHECK(pw::system_dns_server("") == "127.0.0.1:53");
}

TEST_CASE("config: dns:// checks") {
  auto config = pw::load_config(R"(checks:
  - name: mail
    url: dns://example.com
    record: mx
    dns_server: 127.0.0.1:5353
    expect: { answers: ["10 mail.example.com"] }
  - name: gone
    url: dns://old.example.com
    expect: { rcode: nxdomain }
)",
                                "probewatch.yml", {});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->checks[0].record == "MX");
  CHECK(config->checks[0].dns_server == "127.0.0.1:5353");
  CHECK(config->checks[0].expect.answers == std::vector<std::string>{"10 mail.example.com"});
  CHECK(config->checks[1].record == "A");
  CHECK(config->checks[1].expect.rcode == "NXDOMAIN");

  auto wrong = pw::load_config(R"(checks:
  - name: a
    url: dns://example.com/path
  - name: b
    url: dns://example.com
    record: SRV
    dns_server: dns.example.com
    expect: { rcode: GONE }
)",
                               "probewatch.yml", {});
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().message ==
        "probewatch.yml:3:10: URL \"dns://example.com/path\" may hold only a name; write it as dns://NAME\n"
        "probewatch.yml:6:13: \"record\" must be one of A, AAAA, CNAME, MX, TXT, NS, not \"SRV\"\n"
        "probewatch.yml:7:17: \"dns_server\" must be an IPv4 address with an optional port, as in 127.0.0.1:5353, "
        "not \"dns.example.com\"\n"
        "probewatch.yml:8:22: \"rcode\" must be one of NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, not "
        "\"GONE\"");
}
