#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>
#include <bot/model/url.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// A forward HTTP proxy: requests to http:// targets go to it with an absolute URI, https://
// targets through a CONNECT tunnel. Credentials are sent with Basic authentication.
struct ProxyServer {
  std::string host;  // lower-case name, dotted IPv4, or IPv6 without brackets
  int port = 1080;
  std::string username;  // percent-decoded
  std::string password;  // percent-decoded
  std::string source;    // where it was set: "HTTPS_PROXY", "https_proxy", "proxy:"
  // Returns host:port (IPv6 in brackets), never the credentials.
  std::string authority() const;
  // Returns "proxy 127.0.0.1:3128 (from HTTPS_PROXY)", for messages.
  std::string describe() const;
};

// Parses a proxy URL: http://[user[:password]@]host[:port], or host[:port] meaning http://. The
// port defaults to 1080, as curl's does. `source` names the setting in messages. Fails on other
// schemes (https://, socks5://), saying what to write; a message never repeats the credentials.
Expected<ProxyServer> parse_proxy(std::string_view text, std::string_view source);

// Returns true when the NO_PROXY list `no_proxy` exempts `host`:`port`: entries separated by
// commas or spaces; "*" exempts everything; "example.com" and ".example.com" exempt that name
// and every name under it; "host:port" only that port; IP literals (IPv6 with or without
// brackets) match exactly, and IPv4 "10.0.0.0/8" a range. Case-insensitive.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, int port);

// The proxies the environment sets: HTTP_PROXY, HTTPS_PROXY and NO_PROXY, each in lower case
// (which wins, as curl has it) or upper case.
struct ProxySettings {
  std::optional<Expected<ProxyServer>> http;   // for http:// targets
  std::optional<Expected<ProxyServer>> https;  // for https:// targets
  std::string no_proxy;

  // Returns the proxy for `url` (nullopt: connect directly), `setting` first: a check's
  // `proxy:` ("none" for direct; unset follows the environment). Fails when the proxy that
  // applies is not a usable proxy URL.
  Expected<std::optional<ProxyServer>> for_url(const Url& url, const std::optional<std::string>& setting = {}) const;
};

// Reads the proxy variables from `env`.
ProxySettings proxy_settings_from(const Environment& env);

// Returns the secrets a proxy URL carries: its password, and "user:password" in the Basic form
// (base64) that a Proxy-Authorization header sends.
std::vector<std::string> proxy_secrets(const ProxyServer& proxy);

}  // namespace pw
