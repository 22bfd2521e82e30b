#include <github_client/iso8601.hpp>
#include <github_client/url.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("github_client url: split absolute URLs") {
  auto split = github::split_url("https://api.github.com/repos/o/r/issues?state=open");
  REQUIRE(split);
  CHECK(split->scheme == "https");
  CHECK(split->host == "api.github.com");
  CHECK(split->port == 443);
  CHECK(split->origin == "https://api.github.com");
  CHECK(split->target == "/repos/o/r/issues?state=open");

  auto prefixed = github::split_url("http://127.0.0.1:8080/api/v3");
  REQUIRE(prefixed);
  CHECK(prefixed->port == 8080);
  CHECK(prefixed->origin == "http://127.0.0.1:8080");
  CHECK(prefixed->target == "/api/v3");

  CHECK(github::split_url("http://[::1]:9000/x")->host == "[::1]");
  CHECK(github::split_url("https://ghe.example.com")->target == "/");
  CHECK(github::split_url("https://h?x=1")->target == "/?x=1");
  CHECK(github::split_url("https://h/a#frag")->target == "/a");

  CHECK(github::split_url("ftp://h/").error() == "it does not start with http:// or https://");
  CHECK(github::split_url("https:///x").error() == "it has no host");
  CHECK(github::split_url("https://h:0/").error() == "its port is not a number from 1 to 65535");
  CHECK(github::split_url("https://h:99999/").error() == "its port is not a number from 1 to 65535");
  CHECK(github::split_url("https://h:/").error() == "its port is not a number from 1 to 65535");
  CHECK(github::split_url("https://user:pw@h/").error() == "it carries user information before the host");
  CHECK(github::split_url("https://h/a b").error() == "it contains a space or a control character");
  CHECK(github::split_url("https://[::1/").error() == "its IPv6 host has no closing ']'");
}

TEST_CASE("github_client url: API root from GITHUB_API_URL") {
  CHECK(github::api_url_from_env(nullptr) == "https://api.github.com");
  CHECK(github::api_url_from_env("") == "https://api.github.com");
  CHECK(github::api_url_from_env("https://ghe.example.com/api/v3/") == "https://ghe.example.com/api/v3");
  CHECK(github::normalize_api_url("http://127.0.0.1:1234/api.github.com/7//") ==
        "http://127.0.0.1:1234/api.github.com/7");
  CHECK(github::normalize_api_url("https://h/x?y=1").error() == "it has a query string");
}

TEST_CASE("github_client url: percent encoding") {
  CHECK(github::percent_encode("sev:1 high/ü") == "sev%3A1%20high%2F%C3%BC");
  CHECK(github::percent_encode("a-b_c.d~") == "a-b_c.d~");
  CHECK(github::percent_decode("sev%3A1%20high%2F%C3%BC") == "sev:1 high/ü");
  CHECK(github::percent_decode("a+b%2", true) == "a b%2");
  CHECK(github::percent_decode("%zz%") == "%zz%");
}

TEST_CASE("github_client iso8601: GitHub's timestamps") {
  const github::TimePoint time = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 23h + 52min + 28s;
  CHECK(github::format_iso8601(time) == "2026-11-27T23:52:28Z");
  CHECK(github::format_iso8601(time + 999ms) == "2026-11-27T23:52:28Z");
  CHECK(github::parse_iso8601("2026-11-27T23:52:28Z") == time);
  CHECK(github::parse_iso8601("2026-11-27T23:52:28.123Z") == time);
  CHECK(github::parse_iso8601("2026-11-28T01:52:28+02:00") == time);
  CHECK_FALSE(github::parse_iso8601("2026-11-27 23:52:28Z"));
  CHECK_FALSE(github::parse_iso8601("2026-02-30T00:00:00Z"));
  CHECK_FALSE(github::parse_iso8601("2026-11-27T23:52:28"));
  CHECK_FALSE(github::parse_iso8601("2026-11-27T24:00:00Z"));
  CHECK_FALSE(github::parse_iso8601("2026-11-27T23:52:28Zjunk"));
  CHECK_FALSE(github::parse_iso8601(""));
}
