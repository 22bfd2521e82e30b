#include <bot/cli/tracker_setup.hpp>
#include <bot/model/proxy.hpp>

#include <doctest/doctest.h>

namespace {

pw::Url url(const char* text) { return *pw::parse_url(text); }

}  // namespace

TEST_CASE("proxy: proxy URLs") {
  SUBCASE("http://host:port, credentials percent-decoded, never in messages") {
    auto proxy = pw::parse_proxy("http://ops:p%40ss%3Aw0rd@Proxy.Example:3128/", "HTTPS_PROXY");
    REQUIRE(proxy.has_value());
    CHECK(proxy->host == "proxy.example");
    CHECK(proxy->port == 3128);
    CHECK(proxy->username == "ops");
    CHECK(proxy->password == "p@ss:w0rd");
    CHECK(proxy->describe() == "proxy proxy.example:3128 (from HTTPS_PROXY)");
  }
  SUBCASE("host:port without a scheme, and curl's default port 1080") {
    CHECK(pw::parse_proxy("10.0.0.1:8080", "http_proxy")->authority() == "10.0.0.1:8080");
    CHECK(pw::parse_proxy("http://proxy.example", "http_proxy")->port == 1080);
    CHECK(pw::parse_proxy("http://[::1]:3128", "http_proxy")->authority() == "[::1]:3128");
  }
  SUBCASE("what cannot work is named, without the credentials") {
    CHECK(pw::parse_proxy("socks5://u:secret@proxy:1080", "HTTPS_PROXY").error().message ==
          "HTTPS_PROXY \"socks5://***@proxy:1080\" uses scheme \"socks5\"; probewatch speaks to HTTP proxies only: "
          "write http://host:port");
    CHECK(pw::parse_proxy("http://u:secret@proxy:99999", "proxy:").error().message ==
          "proxy: \"http://***@proxy:99999\" has an invalid port \"99999\" (must be 1-65535)");
    CHECK(pw::parse_proxy("http://proxy:3128/path", "HTTP_PROXY").error().message ==
          "HTTP_PROXY \"http://proxy:3128\" has a path; write only http://host:port");
  }
  SUBCASE("the secrets a proxy carries: the password and the Basic form") {
    auto proxy = pw::parse_proxy("http://Aladdin:open%20sesame@p:1", "HTTP_PROXY");
    CHECK(pw::proxy_secrets(*proxy) == std::vector<std::string>{"open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="});
    CHECK(pw::proxy_secrets(*pw::parse_proxy("http://p:1", "HTTP_PROXY")).empty());
  }
}

TEST_CASE("proxy: NO_PROXY") {
  SUBCASE("names and their subdomains, with or without a leading dot") {
    CHECK(pw::no_proxy_matches("example.com", "example.com", 443));
    CHECK(pw::no_proxy_matches("example.com", "api.Example.com", 443));
    CHECK(pw::no_proxy_matches(".example.com", "example.com", 443));
    CHECK(pw::no_proxy_matches("*.example.com", "a.b.example.com", 80));
    CHECK_FALSE(pw::no_proxy_matches("example.com", "notexample.com", 443));
    CHECK_FALSE(pw::no_proxy_matches("api.example.com", "example.com", 443));
  }
  SUBCASE("lists separated by commas and spaces; * is everything") {
    CHECK(pw::no_proxy_matches("localhost, internal.test ,x.test", "internal.test", 80));
    CHECK(pw::no_proxy_matches("a.test x.test", "x.test", 80));
    CHECK(pw::no_proxy_matches("*", "anything.test", 80));
    CHECK_FALSE(pw::no_proxy_matches("", "anything.test", 80));
  }
  SUBCASE("ports") {
    CHECK(pw::no_proxy_matches("internal.test:8443", "internal.test", 8443));
    CHECK_FALSE(pw::no_proxy_matches("internal.test:8443", "internal.test", 443));
    CHECK(pw::no_proxy_matches("[::1]:8080", "::1", 8080));
  }
  SUBCASE("IP literals and ranges match addresses only") {
    CHECK(pw::no_proxy_matches("127.0.0.1", "127.0.0.1", 80));
    CHECK_FALSE(pw::no_proxy_matches("127.0.0.1", "127.0.0.2", 80));
    CHECK(pw::no_proxy_matches("10.0.0.0/8", "10.1.2.3", 80));
    CHECK_FALSE(pw::no_proxy_matches("10.0.0.0/8", "11.0.0.1", 80));
    CHECK(pw::no_proxy_matches("::1", "::1", 80));
    CHECK(pw::no_proxy_matches("fd00::/8", "fd12::1", 80));
    CHECK_FALSE(pw::no_proxy_matches("0.1", "10.0.0.1", 80));
  }
}

TEST_CASE("proxy: which proxy a URL takes") {
  const pw::ProxySettings settings = pw::proxy_settings_from({{"HTTPS_PROXY", "http://upper:3128"},
                                                              {"https_proxy", "http://lower:3128"},
                                                              {"HTTP_PROXY", "http://plain:8080"},
                                                              {"NO_PROXY", "internal.test,127.0.0.1"}});
  SUBCASE("by scheme; the lower-case variable wins") {
    CHECK((*settings.for_url(url("https://api.test/")))->authority() == "lower:3128");
    CHECK((*settings.for_url(url("https://api.test/")))->source == "https_proxy");
    CHECK((*settings.for_url(url("http://api.test/")))->authority() == "plain:8080");
  }
  SUBCASE("NO_PROXY connects directly") {
    CHECK_FALSE(settings.for_url(url("https://internal.test/"))->has_value());
    CHECK_FALSE(settings.for_url(url("http://127.0.0.1:9/"))->has_value());
  }
  SUBCASE("a check's proxy: wins, and proxy: none is direct") {
    CHECK((*settings.for_url(url("https://internal.test/"), "http://own:1"))->authority() == "own:1");
    CHECK((*settings.for_url(url("https://internal.test/"), "http://own:1"))->source == "proxy:");
    CHECK_FALSE(settings.for_url(url("https://api.test/"), "none")->has_value());
  }
  SUBCASE("no variables: direct") { CHECK_FALSE(pw::ProxySettings{}.for_url(url("https://api.test/"))->has_value()); }
  SUBCASE("a bad proxy variable fails the URLs it applies to") {
    const pw::ProxySettings bad = pw::proxy_settings_from({{"HTTPS_PROXY", "socks5://p:1080"}});
    CHECK(bad.for_url(url("https://api.test/")).error().message ==
          "HTTPS_PROXY \"socks5://p:1080\" uses scheme \"socks5\"; probewatch speaks to HTTP proxies only: write "
          "http://host:port");
    CHECK_FALSE(bad.for_url(url("http://api.test/"))->has_value());
  }
}

TEST_CASE("proxy: the GitHub transport follows the same rule") {
  const github::ProxyChooser choose = pw::github_proxy_chooser(
      pw::proxy_settings_from({{"HTTPS_PROXY", "http://ops:pw-1234@proxy.test:3128"}, {"NO_PROXY", "ghe.internal"}}));
  const auto api = choose("https", "api.github.com", 443);
  REQUIRE(api.has_value());
  REQUIRE(api->has_value());
  CHECK((*api)->host == "proxy.test");
  CHECK((*api)->port == 3128);
  CHECK((*api)->username == "ops");
  CHECK((*api)->password == "pw-1234");
  CHECK((*api)->description == "proxy proxy.test:3128 (from HTTPS_PROXY)");
  CHECK_FALSE(choose("https", "ghe.internal", 443)->has_value());
  CHECK_FALSE(choose("http", "api.github.com", 80)->has_value());
  const github::ProxyChooser bad = pw::github_proxy_chooser(pw::proxy_settings_from({{"https_proxy", "socks5://p"}}));
  CHECK(bad("https", "api.github.com", 443).error() ==
        "https_proxy \"socks5://p\" uses scheme \"socks5\"; probewatch speaks to HTTP proxies only: write "
        "http://host:port");
}
