#include <bot/model/url.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <arpa/inet.h>

#include <array>
#include <cctype>

namespace pw {

namespace {

constexpr std::size_t k_max_url = 8192;
constexpr std::size_t k_max_host = 253;
constexpr std::size_t k_shown = 200;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Percent-encodes the bytes a request target may not carry; keeps valid %XX escapes.
std::string encode_target(std::string_view raw) {
  static constexpr std::string_view k_unsafe = "\"<>\\^`{|}";
  static constexpr std::array<char, 16> k_hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    const bool escape_ok = c == '%' && i + 2 < raw.size() && is_hex(raw[i + 1]) && is_hex(raw[i + 2]);
    if (c <= 0x20 || c >= 0x7F || k_unsafe.find(static_cast<char>(c)) != std::string_view::npos ||
        (c == '%' && !escape_ok)) {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0x0F];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// RFC 3986 section 5.2.4: removes "." and ".." segments from an absolute path.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const std::size_t slash = output.rfind('/');
      output.erase(slash == std::string::npos ? 0 : slash);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const std::size_t next = input.find('/', 1);
      const std::size_t cut = next == std::string_view::npos ? input.size() : next;
      output.append(input.substr(0, cut));
      input.remove_prefix(cut);
    }
  }
  return output.empty() ? "/" : output;
}

// Builds the request target from a path (absolute) and a query (with its "?", or empty).
std::string make_target(std::string_view path, std::string_view query) {
  return encode_target(remove_dot_segments(path.empty() ? "/" : path)) + encode_target(query);
}

// Splits "path?query#fragment" into path and "?query"; the fragment is dropped.
void split_path_query(std::string_view rest, std::string_view& path, std::string_view& query) {
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  const std::size_t question = rest.find('?');
  path = rest.substr(0, question);
  query = question == std::string_view::npos ? std::string_view() : rest.substr(question);
}

Expected<int> parse_port(std::string_view url, std::string_view text, int fallback) {
  if (text.empty()) {
    return fallback;
  }
  if (text.size() > 5) {
    return fail(fmt::format("URL {} has an invalid port {}", quote(url, k_shown), quote(text, k_shown)));
  }
  int port = 0;
  for (const char c : text) {
    if (!is_digit(c)) {
      return fail(fmt::format("URL {} has an invalid port {}", quote(url, k_shown), quote(text, k_shown)));
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return fail(
        fmt::format("URL {} has an invalid port {} (must be 1-65535)", quote(url, k_shown), quote(text, k_shown)));
  }
  return port;
}

bool valid_host_name(std::string_view host) {
  if (host.empty() || host.size() > k_max_host || host.front() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : host) {
    if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

// Length of the scheme at the start of `text` ("http" in "http:..."), or 0 when none.
std::size_t scheme_length(std::string_view text) {
  if (text.empty() || !is_alpha(text.front())) {
    return 0;
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ':') {
      return i;
    }
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') {
      return 0;
    }
  }
  return 0;
}

}  // namespace

std::string Url::authority() const {
  std::string out = is_ipv6() ? "[" + host + "]" : host;
  if (!has_default_port()) {
    // Two appends rather than `":" + std::to_string(port)`: GCC 12 at -O2 and above reports a
    // false -Wrestrict for a literal plus a temporary string (GCC bug 105329).
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

std::string Url::to_string() const { return scheme + "://" + authority() + target; }

Expected<Url> parse_url(std::string_view text) {
  const std::string_view url = trim(text);
  if (url.empty()) {
    return fail("URL is empty; write it as https://host/path");
  }
  if (url.size() > k_max_url) {
    return fail(fmt::format("URL {} is too long (over {} bytes)", quote(url, k_shown), k_max_url));
  }
  const std::size_t scheme_len = scheme_length(url);
  if (scheme_len == 0) {
    return fail(fmt::format("URL {} has no scheme; write it as https://host/path", quote(url, k_shown)));
  }
  Url out;
  out.scheme = to_lower(url.substr(0, scheme_len));
  if (out.scheme != "http" && out.scheme != "https") {
    return fail(fmt::format("URL {} has unsupported scheme \"{}\"; use http or https", quote(url, k_shown),
                            sanitize_utf8(utf8_prefix(out.scheme, 32))));
  }
  std::string_view rest = url.substr(scheme_len + 1);
  if (!rest.starts_with("//")) {
    return fail(fmt::format("URL {} has no host; write it as {}://host/path", quote(url, k_shown), out.scheme));
  }
  rest.remove_prefix(2);
  const std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    // The credentials are not repeated in the message: it may go to a log.
    const std::string shown =
        std::string(url.substr(0, scheme_len + 3)) + "***" + std::string(url.substr(scheme_len + 3 + at));
    return fail(fmt::format("URL {} contains credentials; send them in a header (e.g. Authorization) instead",
                            quote(shown, k_shown)));
  }
  const int default_port = out.is_https() ? 443 : 80;
  std::string_view port_text;
  if (authority.starts_with("[")) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return fail(fmt::format("URL {} has an unterminated IPv6 address", quote(url, k_shown)));
    }
    const std::string literal(authority.substr(1, close - 1));
    std::array<unsigned char, 16> buffer{};
    if (literal.empty() || inet_pton(AF_INET6, literal.c_str(), buffer.data()) != 1) {
      return fail(fmt::format("URL {} has an invalid IPv6 address {}", quote(url, k_shown), quote(literal, k_shown)));
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) {
      return fail(fmt::format("URL {} has an invalid host {}", quote(url, k_shown), quote(authority, k_shown)));
    }
    port_text = after.empty() ? after : after.substr(1);
    out.host = to_lower(literal);
  } else {
    const std::size_t colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    port_text = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
    if (host.empty()) {
      return fail(fmt::format("URL {} has no host; write it as {}://host/path", quote(url, k_shown), out.scheme));
    }
    if (!valid_host_name(host)) {
      return fail(fmt::format("URL {} has an invalid host {}", quote(url, k_shown), quote(host, k_shown)));
    }
    out.host = to_lower(host);
  }
  const Expected<int> port = parse_port(url, port_text, default_port);
  if (!port) {
    return std::unexpected(port.error());
  }
  out.port = *port;
  std::string_view path;
  std::string_view query;
  split_path_query(rest, path, query);
  out.target = make_target(path, query);
  return out;
}

std::string SocketUrl::to_string() const {
  if (scheme == "dns") {
    return "dns://" + host;
  }
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return fmt::format("{}://{}:{}", scheme, shown_host, port);
}

bool is_socket_url(std::string_view text) {
  const std::string lowered = to_lower(trim(text).substr(0, 6));
  return lowered == "tcp://" || lowered == "tls://" || lowered == "dns://";
}

Expected<SocketUrl> parse_socket_url(std::string_view text) {
  const std::string_view url = trim(text);
  if (!is_socket_url(url)) {
    return fail(fmt::format("URL {} is not tcp://HOST:PORT, tls://HOST:PORT or dns://NAME", quote(url, k_shown)));
  }
  SocketUrl out;
  out.scheme = to_lower(url.substr(0, 3));
  std::string_view rest = url.substr(6);
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return fail(out.scheme == "dns"
                    ? fmt::format("URL {} may hold only a name; write it as dns://NAME", quote(url, k_shown))
                    : fmt::format("URL {} may hold only a host and a port; write it as {}://HOST:PORT",
                                  quote(url, k_shown), out.scheme));
  }
  if (out.scheme == "dns") {
    if (!valid_host_name(rest)) {
      return fail(fmt::format("URL {} has an invalid name {}; write it as dns://NAME", quote(url, k_shown),
                              quote(rest, k_shown)));
    }
    out.host = to_lower(rest);
    return out;
  }
  std::string_view host;
  std::string_view port_text;
  if (rest.starts_with("[")) {
    const std::size_t close = rest.find(']');
    const std::string literal(rest.substr(1, close == std::string_view::npos ? 0 : close - 1));
    std::array<unsigned char, 16> buffer{};
    if (close == std::string_view::npos || inet_pton(AF_INET6, literal.c_str(), buffer.data()) != 1) {
      return fail(fmt::format("URL {} has an invalid IPv6 address", quote(url, k_shown)));
    }
    host = rest.substr(1, close - 1);
    port_text = rest.substr(close + 1).starts_with(":") ? rest.substr(close + 2) : std::string_view();
  } else {
    const std::size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    port_text = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (!valid_host_name(host)) {
      return fail(fmt::format("URL {} has an invalid host {}; write it as {}://HOST:PORT", quote(url, k_shown),
                              quote(host, k_shown), out.scheme));
    }
  }
  if (port_text.empty()) {
    return fail(fmt::format("URL {} has no port; write it as {}://HOST:PORT", quote(url, k_shown), out.scheme));
  }
  const Expected<int> port = parse_port(url, port_text, 0);
  if (!port) {
    return std::unexpected(port.error());
  }
  out.host = to_lower(host);
  out.port = *port;
  return out;
}

Expected<Url> resolve_location(const Url& base, std::string_view location) {
  const std::string_view ref = trim(location);
  if (ref.empty()) {
    return fail("redirect has an empty Location");
  }
  if (ref.size() > k_max_url) {
    return fail(fmt::format("redirect Location {} is too long (over {} bytes)", quote(ref, k_shown), k_max_url));
  }
  if (scheme_length(ref) > 0) {
    return parse_url(ref);
  }
  if (ref.starts_with("//")) {
    return parse_url(base.scheme + ":" + std::string(ref));
  }
  std::string_view path;
  std::string_view query;
  split_path_query(ref, path, query);
  const std::size_t base_query = base.target.find('?');
  const std::string_view base_path = std::string_view(base.target).substr(0, base_query);
  Url out = base;
  if (path.empty()) {
    // "?q" keeps the base path; "#frag" alone keeps the base path and query.
    const bool has_query = ref.find('?') < ref.find('#');
    out.target = has_query ? make_target(base_path, query) : base.target;
  } else if (path.starts_with("/")) {
    out.target = make_target(path, query);
  } else {
    const std::size_t slash = base_path.rfind('/');
    const std::string merged = std::string(base_path.substr(0, slash + 1)) + std::string(path);
    out.target = make_target(merged, query);
  }
  if (out.target.size() > k_max_url) {
    return fail(fmt::format("redirect Location {} gives a URL over {} bytes", quote(ref, k_shown), k_max_url));
  }
  return out;
}

std::string host_of(const std::string& url) {
  auto parsed = parse_url(url);
  return parsed ? parsed->authority() : "";
}

}  // namespace pw
