#include <bot/model/proxy.hpp>

#include <bot/core/text.hpp>

#include <base/percent.hpp>

#include <fmt/format.h>

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace pw {

namespace {

constexpr std::size_t k_proxy_shown = 120;

std::string base64(std::string_view text) {
  static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) |
                   static_cast<unsigned char>(text[i + 2]);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += k_alphabet[n & 63];
  }
  if (i + 1 == text.size()) {
    const auto n = static_cast<unsigned char>(text[i]) << 16;
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == text.size()) {
    const auto n = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// An address and prefix length parsed from an IP literal or CIDR ("10.0.0.0/8", "::1").
struct IpRange {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
  int prefix = 0;
};

std::optional<IpRange> parse_ip(std::string_view text) {
  IpRange range;
  std::string address(text);
  const std::size_t slash = address.find('/');
  if (slash != std::string::npos) {
    const std::string bits = address.substr(slash + 1);
    address.resize(slash);
    if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    range.prefix = std::stoi(bits);
  }
  if (inet_pton(AF_INET, address.c_str(), range.bytes.data()) == 1) {
    range.family = AF_INET;
    range.prefix = slash == std::string::npos ? 32 : range.prefix;
    return range.prefix <= 32 ? std::optional(range) : std::nullopt;
  }
  if (inet_pton(AF_INET6, address.c_str(), range.bytes.data()) == 1) {
    range.family = AF_INET6;
    range.prefix = slash == std::string::npos ? 128 : range.prefix;
    return range.prefix <= 128 ? std::optional(range) : std::nullopt;
  }
  return std::nullopt;
}

bool in_range(const IpRange& range, const IpRange& address) {
  if (range.family != address.family) {
    return false;
  }
  for (int bit = 0; bit < range.prefix; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((range.bytes[static_cast<std::size_t>(bit / 8)] & mask) !=
        (address.bytes[static_cast<std::size_t>(bit / 8)] & mask)) {
      return false;
    }
  }
  return true;
}

// Splits a NO_PROXY entry into host (no brackets) and port (0 when none).
std::pair<std::string, int> entry_host_port(std::string_view entry) {
  std::string_view host = entry;
  std::string_view port;
  if (entry.starts_with("[")) {
    const std::size_t close = entry.find(']');
    host = entry.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    if (close != std::string_view::npos && entry.substr(close + 1).starts_with(":")) {
      port = entry.substr(close + 2);
    }
  } else if (const std::size_t colon = entry.find(':');
             colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    host = entry.substr(0, colon);
    port = entry.substr(colon + 1);
  }
  int number = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || number > 65535) {
      return {std::string(host), -1};  // a port that is not a number matches nothing
    }
    number = number * 10 + (c - '0');
  }
  return {std::string(host), number};
}

std::optional<Expected<ProxyServer>> proxy_from(const Environment& env, const char* lower, const char* upper) {
  for (const char* name : {lower, upper}) {
    if (const auto value = lookup(env, name)) {
      return parse_proxy(*value, name);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string ProxyServer::authority() const {
  return fmt::format("{}:{}", host.find(':') != std::string::npos ? "[" + host + "]" : host, port);
}

std::string ProxyServer::describe() const { return fmt::format("proxy {} (from {})", authority(), source); }

Expected<ProxyServer> parse_proxy(std::string_view text, std::string_view source) {
  std::string_view proxy = trim(text);
  const std::size_t separator = proxy.find("://");
  const std::string scheme = separator == std::string_view::npos ? "http" : to_lower(proxy.substr(0, separator));
  std::string_view rest = separator == std::string_view::npos ? proxy : proxy.substr(separator + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = authority.rfind('@');
  const std::string_view host_port = at == std::string_view::npos ? authority : authority.substr(at + 1);
  // Messages show the proxy without its credentials.
  const std::string shown =
      quote(fmt::format("{}://{}{}", scheme, at == std::string_view::npos ? "" : "***@", host_port), k_proxy_shown);
  if (scheme != "http") {
    return fail(
        fmt::format("{} {} uses scheme \"{}\"; probewatch speaks to HTTP proxies only: write "
                    "http://host:port",
                    source, shown, sanitize_utf8(utf8_prefix(scheme, 16))));
  }
  const std::string_view path = rest.substr(authority.size());
  if (!path.empty() && path != "/") {
    return fail(fmt::format("{} {} has a path; write only http://host:port", source, shown));
  }
  auto url = parse_url(fmt::format("http://{}/", host_port));
  if (!url) {
    // parse_url says 'URL "..." has an invalid port "99999"': keep what follows the URL.
    const std::string& message = url.error().message;
    const std::size_t has = message.find(" has ");
    return fail(has == std::string::npos ? fmt::format("{} {} is not a usable proxy: {}", source, shown, message)
                                         : fmt::format("{} {} {}", source, shown, message.substr(has + 1)));
  }
  ProxyServer out;
  out.host = url->host;
  const bool explicit_port = host_port.starts_with("[") ? host_port.find("]:") != std::string_view::npos
                                                        : host_port.find(':') != std::string_view::npos;
  out.port = explicit_port ? url->port : 1080;
  out.source = std::string(source);
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    out.username = base::percent_decode(userinfo.substr(0, colon));
    out.password = colon == std::string_view::npos ? "" : base::percent_decode(userinfo.substr(colon + 1));
  }
  return out;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host, int port) {
  const std::string target =
      to_lower(host.starts_with("[") && host.ends_with("]") ? host.substr(1, host.size() - 2) : host);
  const std::optional<IpRange> target_ip = parse_ip(target);
  std::size_t start = 0;
  while (start < no_proxy.size()) {
    const std::size_t end = std::min(no_proxy.find_first_of(", ", start), no_proxy.size());
    const std::string entry = to_lower(trim(no_proxy.substr(start, end - start)));
    start = end + 1;
    if (entry.empty()) {
      continue;
    }
    if (entry == "*") {
      return true;
    }
    auto [entry_host, entry_port] = entry_host_port(entry);
    if (entry_port < 0 || (entry_port != 0 && entry_port != port)) {
      continue;
    }
    if (const std::optional<IpRange> range = parse_ip(entry_host)) {
      if (target_ip && in_range(*range, *target_ip)) {
        return true;
      }
      continue;
    }
    if (entry_host.starts_with("*.")) {
      entry_host.erase(0, 1);
    }
    if (entry_host.starts_with(".")) {
      entry_host.erase(0, 1);
    }
    if (!entry_host.empty() && !target_ip &&
        (target == entry_host || (target.size() > entry_host.size() && target.ends_with("." + entry_host)))) {
      return true;
    }
  }
  return false;
}

Expected<std::optional<ProxyServer>> ProxySettings::for_url(const Url& url,
                                                            const std::optional<std::string>& setting) const {
  if (setting) {
    if (to_lower(trim(*setting)) == "none") {
      return std::optional<ProxyServer>();
    }
    auto proxy = parse_proxy(*setting, "proxy:");
    if (!proxy) {
      return std::unexpected(proxy.error());
    }
    return std::optional(std::move(*proxy));
  }
  const std::optional<Expected<ProxyServer>>& chosen = url.is_https() ? https : http;
  if (!chosen || no_proxy_matches(no_proxy, url.host, url.port)) {
    return std::optional<ProxyServer>();
  }
  if (!*chosen) {
    return std::unexpected(chosen->error());
  }
  return std::optional(**chosen);
}

ProxySettings proxy_settings_from(const Environment& env) {
  ProxySettings settings;
  settings.http = proxy_from(env, "http_proxy", "HTTP_PROXY");
  settings.https = proxy_from(env, "https_proxy", "HTTPS_PROXY");
  settings.no_proxy = lookup(env, "no_proxy").or_else([&] { return lookup(env, "NO_PROXY"); }).value_or("");
  return settings;
}

std::vector<std::string> proxy_secrets(const ProxyServer& proxy) {
  if (proxy.password.empty()) {
    return {};
  }
  return {proxy.password, base64(proxy.username + ":" + proxy.password)};
}

}  // namespace pw
