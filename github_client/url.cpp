#include <github_client/url.hpp>

#include <charconv>

namespace github {

namespace {

bool has_forbidden_character(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::expected<SplitUrl, std::string> split_url(std::string_view url) {
  if (has_forbidden_character(url)) {
    return std::unexpected("it contains a space or a control character");
  }
  SplitUrl split;
  std::string_view rest;
  if (url.starts_with("https://")) {
    split.scheme = "https";
    split.port = 443;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    split.scheme = "http";
    split.port = 80;
    rest = url.substr(7);
  } else {
    return std::unexpected("it does not start with http:// or https://");
  }
  auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return std::unexpected("it carries user information before the host");
  }
  std::string_view host = authority;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::unexpected("its IPv6 host has no closing ']'");
    }
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      return std::unexpected("unexpected text after the IPv6 host");
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
  }
  if (host.empty()) {
    return std::unexpected("it has no host");
  }
  if (host.size() < authority.size()) {
    std::string_view port_text = authority.substr(host.size() + 1);
    int port = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return std::unexpected("its port is not a number from 1 to 65535");
    }
    split.port = port;
  }
  if (auto fragment = target.find('#'); fragment != std::string_view::npos) {
    target = target.substr(0, fragment);
  }
  split.host = std::string(host);
  split.origin = split.scheme + "://" + std::string(authority);
  // Built by appending: `"/" + std::string(target)` (or assigning a literal first) makes GCC 12
  // at -O2 and above report a false -Wrestrict inside std::string (GCC bug 105329).
  if (target.empty() || target.starts_with('?')) {
    split.target.push_back('/');
  }
  split.target.append(target);
  return split;
}

std::expected<std::string, std::string> normalize_api_url(std::string_view url) {
  auto split = split_url(url);
  if (!split) {
    return std::unexpected(split.error());
  }
  if (split->target.find('?') != std::string::npos) {
    return std::unexpected("it has a query string");
  }
  std::string normalized(url);
  while (normalized.ends_with('/')) {
    normalized.pop_back();
  }
  return normalized;
}

std::string api_url_from_env(const char* value) {
  if (value == nullptr || *value == '\0') {
    return std::string(k_default_api_url);
  }
  std::string url(value);
  while (url.ends_with('/')) {
    url.pop_back();
  }
  return url;
}

}  // namespace github
