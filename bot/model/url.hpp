#pragma once

#include <bot/core/error.hpp>

#include <string>
#include <string_view>

namespace pw {

// An absolute http or https URL, split the way a client needs it.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-case name, dotted IPv4, or IPv6 without brackets
  int port = 0;        // always set; 80 or 443 when the URL names none
  std::string target;  // path and query as sent in the request line; starts with "/"; no fragment

  bool is_https() const { return scheme == "https"; }
  bool is_ipv6() const { return host.find(':') != std::string::npos; }
  bool has_default_port() const { return port == (is_https() ? 443 : 80); }
  // Returns host[:port] as written in a URL: IPv6 in brackets, the default port left out.
  std::string authority() const;
  // Returns the normalized URL: scheme://authority/target.
  std::string to_string() const;
};

// Parses an absolute http(s) URL. Fails, naming the problem, on other schemes, missing or
// malformed hosts, bad ports, credentials in the URL, and anything longer than 8 KiB.
// Bytes not allowed in a request target (spaces, controls, non-ASCII) are percent-encoded.
Expected<Url> parse_url(std::string_view text);

// A tcp://HOST:PORT, tls://HOST:PORT or dns://NAME target (the check kinds other than HTTP).
struct SocketUrl {
  std::string scheme;  // "tcp", "tls" or "dns"
  std::string host;    // lower-case name, dotted IPv4, or IPv6 without brackets; for dns, the name asked for
  int port = 0;        // 0 for dns

  // Returns the normalized URL: scheme://host:port, or dns://name.
  std::string to_string() const;
};

// Returns true when `text` starts with tcp://, tls:// or dns:// (any case).
bool is_socket_url(std::string_view text);

// Parses tcp://HOST:PORT or tls://HOST:PORT (the port is required; no path or query), or
// dns://NAME. Fails, naming the problem and the form to use, on anything else.
Expected<SocketUrl> parse_socket_url(std::string_view text);

// Resolves a redirect's Location (absolute, scheme-relative, absolute-path or relative)
// against `base` per RFC 3986. Fails when the result is not a valid http(s) URL.
Expected<Url> resolve_location(const Url& base, std::string_view location);

// Returns the host[:port] of a URL, lower-case, or "" when it does not parse.
std::string host_of(const std::string& url);

}  // namespace pw
