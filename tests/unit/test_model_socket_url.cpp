#include <bot/config/load.hpp>
#include <bot/expect/expectations.hpp>
#include <bot/model/url.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("url: tcp:// and tls:// targets") {
  SUBCASE("host and port") {
    auto url = pw::parse_socket_url("TCP://Mail.Example.com:25");
    REQUIRE(url.has_value());
    CHECK(url->scheme == "tcp");
    CHECK(url->host == "mail.example.com");
    CHECK(url->port == 25);
    CHECK(url->to_string() == "tcp://mail.example.com:25");
    auto v6 = pw::parse_socket_url("tls://[::1]:636/");
    REQUIRE(v6.has_value());
    CHECK(v6->host == "::1");
    CHECK(v6->to_string() == "tls://[::1]:636");
  }
  SUBCASE("mistakes name the form to use") {
    CHECK(pw::parse_socket_url("tcp://db.example.com").error().message ==
          "URL \"tcp://db.example.com\" has no port; write it as tcp://HOST:PORT");
    CHECK(pw::parse_socket_url("tls://db.example.com:5432/main").error().message ==
          "URL \"tls://db.example.com:5432/main\" may hold only a host and a port; write it as tls://HOST:PORT");
    CHECK(pw::parse_socket_url("tcp://db example:5432").error().message ==
          "URL \"tcp://db example:5432\" has an invalid host \"db example\"; write it as tcp://HOST:PORT");
    CHECK(pw::parse_socket_url("tcp://db.example.com:99999").error().message ==
          "URL \"tcp://db.example.com:99999\" has an invalid port \"99999\" (must be 1-65535)");
    CHECK(pw::parse_socket_url("https://a/").error().message ==
          "URL \"https://a/\" is not tcp://HOST:PORT, tls://HOST:PORT or dns://NAME");
  }
  SUBCASE("http parsing is unchanged") {
    CHECK(pw::parse_url("tcp://a:1").error().message ==
          "URL \"tcp://a:1\" has unsupported scheme \"tcp\"; use http or "
          "https");
  }
}

TEST_CASE("config: tcp:// and tls:// checks") {
  auto config = pw::load_config(R"(checks:
  - name: redis
    url: tcp://127.0.0.1:6379
    send: PING
    expect: { reply_matches: "^\\+PONG" }
  - name: ldaps
    url: tls://ldap.example.com:636
    expect: { cert_days_left: 21 }
)",
                                "probewatch.yml", {});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->checks[0].send == "PING");
  REQUIRE(config->checks[0].expect.reply_matches.has_value());
  CHECK(config->checks[0].expect.reply_matches->pattern() == "^\\+PONG");
  CHECK(config->checks[1].expect.cert_days_left == 21);

  auto wrong = pw::load_config(
      "checks:\n  - name: a\n    url: tcp://a\n  - name: b\n    url: tcp://b:1\n"
      "    expect: { cert_days_left: 3 }\n",
      "probewatch.yml", {});
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().message ==
        "probewatch.yml:3:10: URL \"tcp://a\" has no port; write it as tcp://HOST:PORT\n"
        "probewatch.yml:4:5: check \"b\" sets cert_days_left but its url is tcp://; use tls:// or https://");
}

TEST_CASE("expectations: tcp:// and tls:// evidence is judged by reply, time and certificate only") {
  auto config = pw::load_config(R"(checks:
  - name: smtp
    url: tcp://127.0.0.1:25
    expect: { reply_matches: "^220 ", max_response_time: 100ms }
)",
                                "probewatch.yml", {});
  REQUIRE(config.has_value());
  pw::Evidence evidence;
  evidence.body = "554 no service\r\n";
  evidence.response_time = 150ms;
  std::vector<std::string> messages;
  for (const auto& failed : pw::judge(config->checks[0].expect, evidence, {})) {
    messages.push_back(failed.message);
  }
  CHECK(messages == std::vector<std::string>{"response time 150ms over 100ms",
                                             "reply \"554 no service\r\n\" does not match /^220 /"});
  evidence.body = "220 ready\r\n";
  evidence.response_time = 20ms;
  CHECK(pw::judge(config->checks[0].expect, evidence, {}).empty());
}
