#include <bot/model/url.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

pw::Url parsed(std::string_view text) {
  auto url = pw::parse_url(text);
  REQUIRE_MESSAGE(url.has_value(), (url ? std::string() : url.error().message));
  return *url;
}

std::string resolved(std::string_view base, std::string_view location) {
  auto url = pw::resolve_location(parsed(base), location);
  REQUIRE_MESSAGE(url.has_value(), (url ? std::string() : url.error().message));
  return url->to_string();
}

}  // namespace

TEST_CASE("url: splits an absolute URL and fills default ports") {
  const pw::Url https = parsed("https://API.Example.com/v1/health?full=1#top");
  CHECK(https.scheme == "https");
  CHECK(https.host == "api.example.com");
  CHECK(https.port == 443);
  CHECK(https.target == "/v1/health?full=1");
  CHECK(https.to_string() == "https://api.example.com/v1/health?full=1");

  const pw::Url http = parsed("HTTP://127.0.0.1:8080");
  CHECK(http.scheme == "http");
  CHECK(http.port == 8080);
  CHECK(http.target == "/");
  CHECK(http.authority() == "127.0.0.1:8080");

  CHECK(parsed("http://example.com:80/").to_string() == "http://example.com/");
  CHECK(parsed("http://example.com?q").target == "/?q");
  CHECK(parsed("http://example.com:/x").port == 80);
}

TEST_CASE("url: IPv6 literals keep their brackets only in the authority") {
  const pw::Url url = parsed("http://[::1]:9000/x");
  CHECK(url.host == "::1");
  CHECK(url.is_ipv6());
  CHECK(url.port == 9000);
  CHECK(url.to_string() == "http://[::1]:9000/x");
  CHECK(parsed("https://[2001:DB8::1]").authority() == "[2001:db8::1]");
}

TEST_CASE("url: encodes what a request line cannot carry and removes dot segments") {
  CHECK(parsed("http://h/a b/\"q\"?x=<1>").target == "/a%20b/%22q%22?x=%3C1%3E");
  CHECK(parsed("http://h/caf\xC3\xA9").target == "/caf%C3%A9");
  CHECK(parsed("http://h/100%").target == "/100%25");
  CHECK(parsed("http://h/ok%2Fstays").target == "/ok%2Fstays");
  CHECK(parsed("http://h/a+b?c=d+e,f;g").target == "/a+b?c=d+e,f;g");
  CHECK(parsed("http://h/a/./b/../c").target == "/a/c");
  CHECK(parsed("http://h/../../etc").target == "/etc");
}

TEST_CASE("url: rejects what it cannot probe, saying why") {
  CHECK(pw::parse_url("").error().message == "URL is empty; write it as https://host/path");
  CHECK(pw::parse_url("example.com/health").error().message ==
        "URL \"example.com/health\" has no scheme; write it as https://host/path");
  CHECK(pw::parse_url("ftp://example.com/").error().message ==
        "URL \"ftp://example.com/\" has unsupported scheme \"ftp\"; use http or https");
  CHECK(pw::parse_url("http:/x").error().message == "URL \"http:/x\" has no host; write it as http://host/path");
  CHECK(pw::parse_url("https:///x").error().message == "URL \"https:///x\" has no host; write it as https://host/path");
  CHECK(pw::parse_url("http://exa mple.com/").error().message ==
        "URL \"http://exa mple.com/\" has an invalid host \"exa mple.com\"");
  CHECK(pw::parse_url("http://h:0/").error().message ==
        "URL \"http://h:0/\" has an invalid port \"0\" (must be 1-65535)");
  CHECK(pw::parse_url("http://h:99999/").error().message ==
        "URL \"http://h:99999/\" has an invalid port \"99999\" (must be 1-65535)");
  CHECK(pw::parse_url("http://h:8o/").error().message == "URL \"http://h:8o/\" has an invalid port \"8o\"");
  CHECK(pw::parse_url("http://user:pw@h/").error().message ==
        "URL \"http://***@h/\" contains credentials; send them in a header (e.g. Authorization) instead");
  CHECK(pw::parse_url("http://[::1/").error().message == "URL \"http://[::1/\" has an unterminated IPv6 address");
  CHECK(pw::parse_url("http://[nope]/").error().message ==
        "URL \"http://[nope]/\" has an invalid IPv6 address \"nope\"");
  CHECK(pw::parse_url("http://[::1]x/").error().message == "URL \"http://[::1]x/\" has an invalid host \"[::1]x\"");
}

TEST_CASE("url: hostile input fails cleanly") {
  const std::string huge = "http://h/" + std::string(10000, 'a');
  CHECK(pw::parse_url(huge).error().message.ends_with("is too long (over 8192 bytes)"));
  CHECK_FALSE(pw::parse_url(std::string("http://h\0x/", 11)).has_value());
  CHECK_FALSE(pw::parse_url("http://\xFF\xFE/").has_value());
  CHECK_FALSE(pw::parse_url("http://" + std::string(300, 'a') + "/").has_value());
  CHECK_FALSE(pw::parse_url("http://a..b/").has_value());
  CHECK_FALSE(pw::parse_url(":::").has_value());
  CHECK_FALSE(pw::parse_url("http://").has_value());
  CHECK(parsed("http://h/\x01\x7F").target == "/%01%7F");
}

TEST_CASE("url: resolves Location values per RFC 3986") {
  const char* base = "http://a.test:8080/b/c/d;p?q";
  CHECK(resolved(base, "https://other.test/x") == "https://other.test/x");
  CHECK(resolved(base, "//other.test/x") == "http://other.test/x");
  CHECK(resolved(base, "/health") == "http://a.test:8080/health");
  CHECK(resolved(base, "g") == "http://a.test:8080/b/c/g");
  CHECK(resolved(base, "./g") == "http://a.test:8080/b/c/g");
  CHECK(resolved(base, "g/") == "http://a.test:8080/b/c/g/");
  CHECK(resolved(base, "../g") == "http://a.test:8080/b/g");
  CHECK(resolved(base, "../../../../g") == "http://a.test:8080/g");
  CHECK(resolved(base, "?y") == "http://a.test:8080/b/c/d;p?y");
  CHECK(resolved(base, "g?y#s") == "http://a.test:8080/b/c/g?y");
  CHECK(resolved(base, "#s") == "http://a.test:8080/b/c/d;p?q");
  CHECK(resolved(base, "  /spaced  ") == "http://a.test:8080/spaced");
  CHECK(resolved("https://[::1]:8443/a", "b") == "https://[::1]:8443/b");
}

TEST_CASE("url: unusable Location values fail") {
  const pw::Url base = parsed("http://a.test/x");
  CHECK(pw::resolve_location(base, "").error().message == "redirect has an empty Location");
  CHECK(pw::resolve_location(base, "mailto:ops@example.com").error().message ==
        "URL \"mailto:ops@example.com\" has unsupported scheme \"mailto\"; use http or https");
  CHECK_FALSE(pw::resolve_location(base, "http://").has_value());
  CHECK_FALSE(pw::resolve_location(base, std::string(9000, 'a')).has_value());
}
